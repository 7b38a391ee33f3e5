import { Redis } from "ioredis";

export type RedisRole = "api" | "worker";

/**
 * An ioredis client set up for its role.
 * - `api`: fail fast. A request must get a 503 at once when Redis is down, never hang in ioredis's
 *   offline queue and never answer 202 for a job that was not stored.
 * - `worker`: wait forever. BullMQ's blocking commands need `maxRetriesPerRequest: null`, and a worker
 *   should ride out a Redis restart rather than crash.
 */
export function createRedis(url: string, role: RedisRole, name = `llmr-${role}`): Redis {
  if (role === "api") {
    return new Redis(url, {
      connectionName: name,
      enableOfflineQueue: false,
      maxRetriesPerRequest: 1,
      connectTimeout: 2_000,
      // Keep reconnecting in the background so the API recovers by itself once Redis is back.
      retryStrategy: (times) => Math.min(times * 200, 2_000),
    });
  }
  return new Redis(url, {
    connectionName: name,
    maxRetriesPerRequest: null,
    retryStrategy: (times) => Math.min(times * 500, 5_000),
  });
}

/**
 * Resolves when the client is ready, or after `timeoutMs` either way: a process may start while
 * Redis is still down (its readiness probe says so) and catch up when Redis comes back.
 */
export async function waitForRedis(redis: Redis, timeoutMs: number): Promise<boolean> {
  if (redis.status === "ready") return true;
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      redis.off("ready", onReady);
      resolve(false);
    }, timeoutMs);
    const onReady = () => {
      clearTimeout(timer);
      resolve(true);
    };
    redis.once("ready", onReady);
  });
}
