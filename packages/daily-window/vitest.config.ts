import { availableParallelism } from "node:os";
import { defineProject } from "vitest/config";

export default defineProject({
  test: {
    name: "daily-window",
    pool: "forks",
    // Every project must compute the same value: vitest refuses a mix.
    maxWorkers: Math.max(2, availableParallelism() - 1),
  },
});
