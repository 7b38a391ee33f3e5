import { availableParallelism } from "node:os";
import { defineProject } from "vitest/config";

export default defineProject({
  test: {
    name: "bench",
    globalSetup: ["@llmr/testing/vitest-global-setup"],
    // The integration test starts Redis, the simulator, the API and an express server.
    // Every scenario in its --quick form, one after another: about a minute and a half on 2 cores.
    testTimeout: 300_000,
    hookTimeout: 60_000,
    pool: "forks",
    // Most tests wait on Redis or HTTP rather than the CPU: two forks even on two cores (vitest
    // would use cores - 1). Every project must compute the same value: vitest refuses a mix.
    maxWorkers: Math.max(2, availableParallelism() - 1),
  },
});
