import { availableParallelism } from "node:os";
import { defineProject } from "vitest/config";

export default defineProject({
  test: {
    name: "demo",
    globalSetup: ["@llmr/testing/vitest-global-setup"],
    // The e2e test runs the demo, which starts the API, the worker and the simulator as processes.
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: "forks",
    // Every project must compute the same value: vitest refuses a mix.
    maxWorkers: Math.max(2, availableParallelism() - 1),
  },
});
