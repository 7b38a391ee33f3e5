/**
 * What the global setup hands to every test file through vitest's `provide`/`inject`.
 * Importing anything from this file (the fixture does) brings the typing into scope, so
 * `inject("redisUrl")` is a `string` in every package that uses `@llmr/testing`.
 */
declare module "vitest" {
  interface ProvidedContext {
    /** URL of the one Redis shared by the whole test run (see `vitest-global-setup.ts`). */
    redisUrl: string;
    /**
     * Seed nodes (`host:port`) when the run's Redis is a Redis Cluster (`LLMR_TEST_REDIS=cluster`),
     * else empty; `redisUrl` is then one of the nodes.
     */
    redisClusterNodes: string[];
  }
}

/** The `inject` key of the shared Redis URL. */
export const REDIS_URL_KEY = "redisUrl";

/** The `inject` key of the cluster's seed nodes (empty for a single Redis). */
export const REDIS_CLUSTER_NODES_KEY = "redisClusterNodes";
