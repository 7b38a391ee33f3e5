import { availableParallelism } from "node:os";
import { defineProject } from "vitest/config";

export default defineProject({
  test: {
    name: "scripts",
    testTimeout: 20_000,
    hookTimeout: 30_000,
    pool: "forks",
    // Same value as every other project: vitest refuses a mix (see packages/core/vitest.config.ts).
    maxWorkers: Math.max(2, availableParallelism() - 1),
  },
});
