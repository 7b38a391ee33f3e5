import { availableParallelism } from "node:os";
import { defineProject } from "vitest/config";

export default defineProject({
  test: {
    name: "k8s",
    // The queue-key test enqueues through the real TierQueues on the run's shared Redis.
    globalSetup: ["@llmr/testing/vitest-global-setup"],
    // The process tests start the API and the workers as child processes.
    testTimeout: 60_000,
    hookTimeout: 30_000,
    pool: "forks",
    // Most tests wait on Redis or HTTP rather than the CPU: two forks even on two cores (vitest
    // would use cores - 1). Every project must compute the same value: vitest refuses a mix.
    maxWorkers: Math.max(2, availableParallelism() - 1),
  },
});
