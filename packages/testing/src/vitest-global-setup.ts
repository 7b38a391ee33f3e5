import type { TestProject } from "vitest/node";
import { REDIS_CLUSTER_NODES_KEY, REDIS_URL_KEY } from "./provided-context.ts";
import { acquireSharedRedis } from "./shared-redis.ts";

/**
 * Vitest `globalSetup`: one Redis for the whole run (see {@link acquireSharedRedis}), whose URL
 * test files read with `inject("redisUrl")` (or through `redisFixture()`), with its seed nodes when
 * it is a Redis Cluster (`LLMR_TEST_REDIS=cluster`). Stopped when the run ends.
 *
 * @example
 * ```ts
 * // vitest.config.ts
 * export default defineProject({
 *   test: { globalSetup: ["@llmr/testing/vitest-global-setup"] },
 * });
 * ```
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const { redis, release } = await acquireSharedRedis();
  project.provide(REDIS_URL_KEY, redis.url);
  project.provide(REDIS_CLUSTER_NODES_KEY, [...(redis.clusterNodes ?? [])]);
  return release;
}
