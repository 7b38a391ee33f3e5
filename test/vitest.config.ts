import { defineProject } from "vitest/config";

export default defineProject({
  test: {
    name: "e2e",
    globalSetup: ["@llmr/testing/vitest-global-setup"],
    // End-to-end tests start the API, the worker and the simulator as child processes.
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: "forks",
  },
});
