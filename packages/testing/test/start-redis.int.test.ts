import { Redis } from "ioredis";
import { describe, expect, it } from "vitest";
import { findExecutable } from "../src/find-executable.ts";
import { pingRedis } from "../src/redis-ping.ts";
import { RedisUnavailableError } from "../src/redis-unavailable-error.ts";
import { startRedis } from "../src/start-redis.ts";

/** A Docker endpoint that certainly doesn't answer, so these tests don't depend on the machine's Docker. */
const NO_DOCKER = "unix:///nonexistent/llmr-test/docker.sock";

describe("startRedis without REDIS_URL", () => {
  it("fails with a message naming the three ways to provide Redis", async () => {
    const attempt = startRedis({ env: { PATH: "", DOCKER_HOST: NO_DOCKER }, onInfo: () => {} });

    await expect(attempt).rejects.toBeInstanceOf(RedisUnavailableError);
    await expect(attempt).rejects.toThrow(/REDIS_URL.*Docker.*redis-server/s);
  });

  it.skipIf(findExecutable("redis-server") === undefined)(
    "starts redis-server on a free port when no Docker engine answers, and stop() shuts it down",
    async () => {
      const lines: string[] = [];
      const redis = await startRedis({
        env: { PATH: process.env.PATH, DOCKER_HOST: NO_DOCKER },
        onInfo: (line) => lines.push(line),
      });
      const { hostname, port } = new URL(redis.url);
      try {
        expect(redis.source).toBe("redis-server");
        expect(lines).toHaveLength(1);
        expect(lines[0]).toContain(`redis-server`);
        const client = new Redis(redis.url);
        // The policy the BullMQ docs require: a full Redis must refuse writes, not evict jobs.
        expect(await client.config("GET", "maxmemory-policy")).toEqual(["maxmemory-policy", "noeviction"]);
        await client.quit();
      } finally {
        await redis.stop();
      }
      expect(await pingRedis(hostname, Number(port))).toBe(false);
    },
  );
});
