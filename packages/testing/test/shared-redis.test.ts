import { describe, expect, it } from "vitest";
import { acquireSharedRedis } from "../src/shared-redis.ts";
import type { StartedRedis } from "../src/start-redis.ts";

function fakeStarter() {
  const calls = { starts: 0, stops: 0 };
  const start = async (): Promise<StartedRedis> => {
    calls.starts += 1;
    const id = calls.starts;
    return {
      url: `redis://fake:${id}`,
      source: "env",
      stop: async () => {
        calls.stops += 1;
      },
    };
  };
  return { calls, start };
}

describe("acquireSharedRedis", () => {
  it("starts one Redis for all users and stops it when the last one releases", async () => {
    const { calls, start } = fakeStarter();

    const first = await acquireSharedRedis(start);
    const second = await acquireSharedRedis(start);
    expect(second.redis.url).toBe(first.redis.url);
    expect(calls.starts).toBe(1);

    await first.release();
    await first.release();
    expect(calls.stops).toBe(0);
    await second.release();
    expect(calls.stops).toBe(1);
  });

  it("starts a new one after the previous was released", async () => {
    const { calls, start } = fakeStarter();

    const first = await acquireSharedRedis(start);
    await first.release();
    const second = await acquireSharedRedis(start);
    await second.release();

    expect(calls.starts).toBe(2);
    expect(second.redis.url).not.toBe(first.redis.url);
  });

  it("passes a start failure to every waiting user and lets a later call try again", async () => {
    const failing = async (): Promise<StartedRedis> => {
      throw new Error("no redis here");
    };

    const results = await Promise.allSettled([acquireSharedRedis(failing), acquireSharedRedis(failing)]);
    expect(results.map((result) => result.status)).toEqual(["rejected", "rejected"]);

    const { start } = fakeStarter();
    const retry = await acquireSharedRedis(start);
    expect(retry.redis.url).toBe("redis://fake:1");
    await retry.release();
  });
});
