import { availableParallelism } from "node:os";
import { defineProject } from "vitest/config";

export default defineProject({
  test: {
    name: "dispatch",
    globalSetup: ["@llmr/testing/vitest-global-setup"],
    testTimeout: 20_000,
    hookTimeout: 30_000,
    pool: "forks",
    // Most tests wait on Redis rather than the CPU: two forks even on two cores (vitest would use
    // cores - 1). Every project must compute the same value: vitest refuses a mix.
    maxWorkers: Math.max(2, availableParallelism() - 1),
  },
});
