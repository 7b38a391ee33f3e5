/**
 * No Redis could be provided for the tests: no `REDIS_URL`, no Docker engine, no `redis-server`
 * (or the one found failed to start). The message names the three ways to fix it.
 *
 * @example
 * ```ts
 * try { await startRedis(); } catch (error) {
 *   if (error instanceof RedisUnavailableError) console.error(error.message);
 * }
 * ```
 */
export class RedisUnavailableError extends Error {
  override readonly name = "RedisUnavailableError";

  constructor(
    message = "No Redis available for the tests. Provide one of: REDIS_URL=redis://host:port, " +
      "a running Docker engine (for testcontainers), or `redis-server` on PATH " +
      "(e.g. `apt-get install redis-server` / `brew install redis`).",
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
