import { defineProject } from "vitest/config";

export default defineProject({
  test: {
    name: "simulator",
    testTimeout: 20_000,
    hookTimeout: 30_000,
    pool: "forks",
  },
});
