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

describe("startRedis with LLMR_TEST_REDIS=cluster", () => {
  it("uses REDIS_CLUSTER_NODES as given, with the first seed as its URL", async () => {
    const lines: string[] = [];
    const redis = await startRedis({
      env: { LLMR_TEST_REDIS: "cluster", REDIS_CLUSTER_NODES: "10.0.0.1:7000, 10.0.0.2:7000" },
      onInfo: (line) => lines.push(line),
    });

    expect(redis).toMatchObject({
      source: "env",
      url: "redis://10.0.0.1:7000",
      clusterNodes: ["10.0.0.1:7000", "10.0.0.2:7000"],
    });
    expect(lines).toEqual(["[@llmr/testing] Redis: REDIS_CLUSTER_NODES (10.0.0.1:7000,10.0.0.2:7000)"]);
  });

  it("refuses a kind of Redis it does not know", async () => {
    await expect(startRedis({ env: { LLMR_TEST_REDIS: "sentinel" } })).rejects.toThrow(
      'LLMR_TEST_REDIS="sentinel": use "server" (the default) or "cluster"',
    );
  });
});
