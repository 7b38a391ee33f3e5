import { defineProject } from "vitest/config";

export default defineProject({
  test: {
    name: "providers",
    testTimeout: 20_000,
    hookTimeout: 30_000,
    pool: "forks",
  },
});
