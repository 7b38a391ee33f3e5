import { defineProject } from "vitest/config";

export default defineProject({
  test: {
    name: "core",
    globalSetup: ["@llmr/testing/vitest-global-setup"],
    testTimeout: 20_000,
    hookTimeout: 30_000,
    pool: "forks",
  },
});
