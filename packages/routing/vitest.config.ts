import { availableParallelism } from "node:os";
import { defineProject } from "vitest/config";

export default defineProject({
  test: {
    name: "routing",
    testTimeout: 20_000,
    hookTimeout: 30_000,
    pool: "forks",
    // This package's tests are CPU-only, but every project must compute the same value as the
    // others (two forks even on two cores): vitest refuses a mix.
    maxWorkers: Math.max(2, availableParallelism() - 1),
  },
});
