import { describe, expect, it } from "vitest";
import { startRedis } from "../src/start-redis.ts";

describe("startRedis with REDIS_URL", () => {
  it("uses the URL as given, says so, and leaves that Redis alone on stop", async () => {
    const lines: string[] = [];
    const redis = await startRedis({
      env: { REDIS_URL: "redis://127.0.0.1:6390/2" },
      onInfo: (line) => lines.push(line),
    });

    expect(redis.source).toBe("env");
    expect(redis.url).toBe("redis://127.0.0.1:6390/2");
    await expect(redis.stop()).resolves.toBeUndefined();
    expect(lines).toEqual(["[@llmr/testing] Redis: REDIS_URL (redis://127.0.0.1:6390/2)"]);
  });

  it("never prints the password of the URL", async () => {
    const lines: string[] = [];
    await startRedis({
      env: { REDIS_URL: "redis://:hunter2@cache:6379" },
      onInfo: (line) => lines.push(line),
    });

    expect(lines.join("\n")).not.toContain("hunter2");
    expect(lines.join("\n")).toContain("redis://:***@cache:6379");
  });
});
