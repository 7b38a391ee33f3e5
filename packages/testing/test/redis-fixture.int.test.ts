import { Redis } from "ioredis";
import { afterAll, describe, expect, inject, it } from "vitest";
import { redisFixture } from "../src/redis-fixture.ts";

const UUID_PREFIX = /^test-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

describe("redisFixture", () => {
  const redis = redisFixture();

  it("hands out the injected URL and unique test-<uuid> prefixes", () => {
    const another = redis.uniquePrefix();

    expect(redis.url).toBe(inject("redisUrl"));
    expect(redis.prefix).toMatch(UUID_PREFIX);
    expect(another).toMatch(UUID_PREFIX);
    expect(another).not.toBe(redis.prefix);
  });

  it("connects to a Redis where keys under its prefix are its own", async () => {
    const client = redis.connect();
    const other = redis.connect();

    await client.set(`${redis.prefix}:greeting`, "hello");

    expect(await other.get(`${redis.prefix}:greeting`)).toBe("hello");
    expect(await other.get(`${redis.uniquePrefix()}:greeting`)).toBeNull();
  });
});

describe("redisFixture after its suite", () => {
  const seen: { client?: Redis; keys: string[] } = { keys: [] };

  describe("a suite using the fixture", () => {
    const redis = redisFixture();

    it("writes keys under two prefixes, one with a BullMQ-style prefix in front", async () => {
      const client = redis.connect();
      seen.client = client;
      seen.keys = [`${redis.prefix}:a`, `bull:${redis.uniquePrefix()}:wait`];
      for (const key of seen.keys) await client.set(key, "1");
      expect(await client.exists(...seen.keys)).toBe(2);
    });
  });

  afterAll(async () => {
    expect(seen.client?.status).toBe("end");
    const checker = new Redis(inject("redisUrl"));
    try {
      expect(await checker.exists(...seen.keys)).toBe(0);
    } finally {
      await checker.quit();
    }
  });
});
