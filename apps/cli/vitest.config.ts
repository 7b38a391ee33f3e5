import { availableParallelism } from "node:os";
import { defineProject } from "vitest/config";

export default defineProject({
  test: {
    name: "cli",
    globalSetup: ["@llmr/testing/vitest-global-setup"],
    // The e2e tests start the API, the worker and the simulator as child processes.
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: "forks",
    // Most tests wait on Redis or HTTP rather than the CPU: two forks even on two cores (vitest
    // would use cores - 1). Every project must compute the same value: vitest refuses a mix.
    maxWorkers: Math.max(2, availableParallelism() - 1),
  },
});
