import { randomUUID } from "node:crypto";
import { Cluster, Redis, type RedisOptions } from "ioredis";
import { afterAll, inject } from "vitest";
import { REDIS_CLUSTER_NODES_KEY, REDIS_URL_KEY } from "./provided-context.ts";

/** Options of {@link redisFixture}. */
export interface RedisFixtureOptions {
  /**
   * After the suite, delete every key containing one of the prefixes this fixture handed out.
   * Matters when `REDIS_URL` points at a Redis that outlives the run.
   * @defaultValue true
   */
  cleanup?: boolean;
}

/** Per-file (or per-suite) access to the run's shared Redis. */
export interface RedisFixture {
  /** The shared Redis of the run, as provided by the global setup (on a cluster: one of its nodes). */
  readonly url: string;
  /** `host:port` of the seed nodes when the run's Redis is a cluster (`LLMR_TEST_REDIS=cluster`). */
  readonly clusterNodes: readonly string[] | undefined;
  /**
   * What an app process needs to reach this Redis: `{ REDIS_URL }`, or `{ REDIS_CLUSTER_NODES }` on
   * a cluster. Spread it into `startAppProcess`'s env so the test runs on either.
   */
  readonly env: Readonly<Record<string, string>>;
  /** `test-<uuid>`, unique to this fixture: put it in every key, queue name or BullMQ `prefix`. */
  readonly prefix: string;
  /** Another `test-<uuid>`, e.g. one per test from a `beforeEach`. Cleaned up like `prefix`. */
  uniquePrefix(): string;
  /**
   * Opens an ioredis connection that is closed after the suite.
   * `maxRetriesPerRequest` defaults to `null` because BullMQ workers refuse any other value.
   * Always to one server (`url`): on a cluster it reaches only that node's slots.
   */
  connect(options?: RedisOptions): Redis;
}

/**
 * Gives a test file the shared Redis plus isolation by key prefix: files run in parallel against
 * one server, so tests must never `FLUSHALL`; they keep to their own prefix instead. Call it
 * while tests are being collected (top of the file or inside `describe`): it registers an
 * `afterAll` that closes the connections it opened and deletes the keys under its prefixes.
 *
 * @throws Error when the project's vitest config lacks the `@llmr/testing` global setup
 *
 * @example
 * ```ts
 * const redis = redisFixture();
 * it("stores", async () => {
 *   const client = redis.connect();
 *   await client.set(`${redis.prefix}:greeting`, "hi");
 *   expect(await client.get(`${redis.prefix}:greeting`)).toBe("hi");
 * });
 * ```
 */
export function redisFixture(options: RedisFixtureOptions = {}): RedisFixture {
  const url = readInjectedUrl();
  const injectedNodes: string[] | undefined = inject(REDIS_CLUSTER_NODES_KEY);
  const clusterNodes = injectedNodes !== undefined && injectedNodes.length > 0 ? injectedNodes : undefined;
  const clients = new Set<Redis>();
  const prefixes: string[] = [];
  const uniquePrefix = () => {
    const prefix = `test-${randomUUID()}`;
    prefixes.push(prefix);
    return prefix;
  };
  const prefix = uniquePrefix();

  afterAll(async () => {
    await Promise.all([...clients].map(close));
    clients.clear();
    if (options.cleanup ?? true) await deleteKeys(url, clusterNodes, prefixes);
  });

  return {
    url,
    clusterNodes,
    env: clusterNodes ? { REDIS_CLUSTER_NODES: clusterNodes.join(",") } : { REDIS_URL: url },
    prefix,
    uniquePrefix,
    connect: (clientOptions?: RedisOptions) => {
      const client = new Redis(url, { maxRetriesPerRequest: null, ...clientOptions });
      clients.add(client);
      return client;
    },
  };
}

function readInjectedUrl(): string {
  // `inject` is typed as always returning a string, but without the global setup it is undefined.
  const url: string | undefined = inject(REDIS_URL_KEY);
  if (typeof url !== "string" || url === "") {
    throw new Error(
      'redisFixture(): no Redis URL was provided. Add globalSetup: ["@llmr/testing/vitest-global-setup"] ' +
        "to this project's vitest.config.ts.",
    );
  }
  return url;
}

/** Resolves once the socket is really gone (`quit()` resolves on the server's OK, slightly before). */
async function close(client: Redis | Cluster): Promise<void> {
  if (client.status === "end") return;
  const ended = new Promise((resolve) => client.once("end", resolve));
  try {
    await client.quit();
  } catch {
    // Already closing or never connected: dropping the socket is all that is left to do.
    client.disconnect();
  }
  await ended;
}

/**
 * Keys are matched anywhere (`*prefix*`): BullMQ puts its own prefix in front (`bull:test-…`).
 * On a cluster every master is scanned (SCAN sees one node's keys), and keys are unlinked one by
 * one, since a multi-key UNLINK of keys in different slots is refused there.
 */
async function deleteKeys(
  url: string,
  clusterNodes: readonly string[] | undefined,
  prefixes: readonly string[],
): Promise<void> {
  const client = clusterNodes
    ? new Cluster([...clusterNodes], { redisOptions: { maxRetriesPerRequest: 1 } })
    : new Redis(url, { maxRetriesPerRequest: 1 });
  try {
    const nodes = client instanceof Cluster ? await masters(client) : [client];
    for (const node of nodes) {
      for (const prefix of prefixes) {
        let cursor = "0";
        do {
          const [next, keys] = await node.scan(cursor, "MATCH", `*${prefix}*`, "COUNT", 1000);
          cursor = next;
          if (keys.length > 0) await node.pipeline(keys.map((key) => ["unlink", key])).exec();
        } while (cursor !== "0");
      }
    }
  } finally {
    await close(client);
  }
}

/** The cluster's masters, once the client has its slot map. */
async function masters(cluster: Cluster): Promise<Redis[]> {
  await cluster.ping();
  return cluster.nodes("master");
}
