import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Redis } from "ioredis";
import { afterEach, describe, expect, it } from "vitest";
import { findExecutable } from "../src/find-executable.ts";
import { type RedisServerProcess, startRedisServer } from "../src/redis-server-process.ts";

const started: RedisServerProcess[] = [];
const dirs: string[] = [];

afterEach(async () => {
  await Promise.all(started.splice(0).map((server) => server.stop()));
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

async function start(options: Parameters<typeof startRedisServer>[0] = {}): Promise<RedisServerProcess> {
  const server = await startRedisServer(options);
  started.push(server);
  return server;
}

describe.skipIf(findExecutable("redis-server") === undefined)("startRedisServer", () => {
  it("answers on its URL and removes its temp dir on stop", async () => {
    const server = await start();
    const client = new Redis(server.url);
    expect(await client.ping()).toBe("PONG");
    await client.quit();

    expect(existsSync(server.dir)).toBe(true);
    await server.stop();
    expect(existsSync(server.dir)).toBe(false);
    expect((await server.exited).code).toBe(0);
  });

  it("keeps data written before stop() when started with an append-only file", async () => {
    const dir = mkdtempSync(join(tmpdir(), "llmr-redis-aof-"));
    dirs.push(dir);
    const args = ["--appendonly", "yes", "--appendfsync", "everysec", "--save", ""];
    const first = await start({ dir, args });
    const writer = new Redis(first.url);
    await writer.set("job:1", "queued");
    await writer.quit();
    await first.stop();

    const second = await start({ dir, args });
    const reader = new Redis(second.url);
    expect(await reader.get("job:1")).toBe("queued");
    await reader.quit();
  });

  it("fails with the server's own words when its port is taken", async () => {
    const first = await start();

    const attempt = startRedisServer({ port: first.port, startTimeoutMs: 5000 });

    await expect(attempt).rejects.toThrow(/did not start[\s\S]*(Address already in use|bind)/i);
  });
});
