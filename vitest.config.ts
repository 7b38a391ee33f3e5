import { defineConfig } from "vitest/config";

/**
 * One `vitest run` at the root runs every project; each has its own `vitest.config.ts` with its
 * name and timeouts (`scripts` holds the tests of `npm start`'s helpers). Projects found by glob
 * don't inherit this file's `test` options, but the root's `globalSetup` always runs and what it
 * `provide`s reaches every project: that is the single Redis of the run. Projects that use Redis
 * also list the same setup so that `vitest run` inside their folder works; they share the one
 * server rather than start another (see packages/testing/src/shared-redis.ts).
 */
export default defineConfig({
  test: {
    projects: ["packages/*", "apps/*", "test", "scripts", "infra/k8s"],
    globalSetup: ["./packages/testing/src/vitest-global-setup.ts"],
  },
});
