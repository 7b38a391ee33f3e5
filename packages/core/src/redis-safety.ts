import type { Redis } from "ioredis";

/** Redis would evict keys under memory pressure: queued jobs could vanish. */
export class UnsafeRedisError extends Error {
  override readonly name = "UnsafeRedisError";
}

/**
 * Refuses a Redis whose `maxmemory-policy` is not `noeviction`: with any other policy Redis may
 * silently delete queued jobs and records when memory runs short (BullMQ's own requirement).
 * Reads INFO rather than CONFIG GET, which managed Redis services often disable.
 */
export async function assertNoEviction(redis: Redis): Promise<void> {
  const info = await redis.info("memory");
  const policy = /^maxmemory_policy:(\S+)/m.exec(info)?.[1];
  if (policy !== undefined && policy !== "noeviction") {
    throw new UnsafeRedisError(
      `Redis maxmemory-policy is "${policy}"; the router needs "noeviction" so that no queued job is ever evicted. ` +
        `Run: redis-cli CONFIG SET maxmemory-policy noeviction (and set it in redis.conf).`,
    );
  }
}
