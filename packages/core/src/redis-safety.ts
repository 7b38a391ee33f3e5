import type { Redis } from "ioredis";
import type { RedisClient } from "./redis-connection.ts";
import { isCluster } from "./redis-connection.ts";

/** Redis would evict keys under memory pressure: queued jobs could vanish. */
export class UnsafeRedisError extends Error {
  override readonly name = "UnsafeRedisError";
}

/**
 * Refuses a Redis whose `maxmemory-policy` is not `noeviction`: with any other policy Redis may
 * silently delete queued jobs and records when memory runs short (BullMQ's own requirement).
 * Reads INFO rather than CONFIG GET, which managed Redis services often disable. On a cluster
 * every node is asked (replicas too: one becomes a master on failover), since each node has its
 * own configuration and a single evicting node loses the jobs whose slots it holds.
 */
export async function assertNoEviction(redis: RedisClient): Promise<void> {
  for (const { node, info } of await memoryInfo(redis)) {
    const policy = /^maxmemory_policy:(\S+)/m.exec(info)?.[1];
    if (policy !== undefined && policy !== "noeviction") {
      const where = node === undefined ? "" : ` on cluster node ${node}`;
      throw new UnsafeRedisError(
        `Redis maxmemory-policy is "${policy}"${where}; the router needs "noeviction" so that no queued job is ever evicted. ` +
          `Run: redis-cli CONFIG SET maxmemory-policy noeviction (and set it in redis.conf, or the service's parameter group).`,
      );
    }
  }
}

async function memoryInfo(redis: RedisClient): Promise<{ node?: string; info: string }[]> {
  if (!isCluster(redis)) return [{ info: await redis.info("memory") }];
  // A command through the cluster first: it waits for (worker) or fails fast without (API) the
  // slot map, and only then does the client know its nodes.
  await redis.ping();
  return Promise.all(
    redis
      .nodes("all")
      .map(async (node: Redis) => ({ node: nodeName(node), info: await node.info("memory") })),
  );
}

function nodeName(node: Redis): string {
  return `${node.options.host ?? "?"}:${node.options.port ?? "?"}`;
}
