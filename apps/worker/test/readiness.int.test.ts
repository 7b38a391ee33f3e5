import { randomUUID } from "node:crypto";
import { KeyRing } from "@llmr/auth";
import type { RedisClient } from "@llmr/core";
import { createRedis } from "@llmr/core";
import { createWorkerRegistry } from "@llmr/metrics";
import type { RedisServerProcess } from "@llmr/testing";
import { startRedisServer } from "@llmr/testing";
import { Worker } from "bullmq";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startWorkerHttpServer } from "../src/http-server.ts";
import { WorkerReadiness } from "../src/worker-readiness.ts";

/**
 * Readiness against a real Redis that this test stops and starts again (its own redis-server, not
 * the run's shared one), with a real BullMQ worker on the worker's kind of connection.
 */
let redisServer: RedisServerProcess;
let redis: RedisClient;
let worker: Worker;
let http: Awaited<ReturnType<typeof startWorkerHttpServer>>;
const readiness = new WorkerReadiness();

beforeAll(async () => {
  redisServer = await startRedisServer();
  redis = createRedis(redisServer.url, "worker");
  // Expected while Redis is stopped below; the worker process logs these.
  redis.on("error", () => {});
  http = await startWorkerHttpServer({
    source: createWorkerRegistry().registry,
    operators: new KeyRing([]),
    readiness: () => readiness.check(),
    host: "127.0.0.1",
    port: 0,
  });
});

afterAll(async () => {
  await worker?.close();
  redis?.disconnect();
  http?.server.closeAllConnections();
  http?.server.close();
  await redisServer?.stop();
});

/** Status and error message of `/readyz` (the message only on a 503). */
async function readyz(): Promise<string> {
  const res = await fetch(`${http.url}/readyz`);
  const body = (await res.json()) as { error?: { message: string } };
  return `${res.status} ${body.error?.message ?? ""}`.trim();
}

describe("the worker's /readyz", () => {
  it("is 503 while starting, 200 once its tier workers run on a ready Redis, 503 while Redis is down, 200 once it is back", async () => {
    expect(await readyz()).toBe("503 not ready: starting");

    worker = new Worker(`{readiness-${randomUUID()}}`, async () => {}, { connection: redis, prefix: "test" });
    worker.on("error", () => {});
    readiness.running({ redis, workers: [{ worker }] });
    await expect.poll(readyz, { timeout: 10_000 }).toBe("200");

    await redisServer.stop();
    await expect.poll(readyz, { timeout: 10_000 }).toMatch(/^503 not ready: the Redis connection is \w+$/);
    // Liveness stays: restarting the worker would not bring Redis back.
    expect((await fetch(`${http.url}/healthz`)).status).toBe(200);

    redisServer = await startRedisServer({ port: redisServer.port });
    // The worker's connection retries every 0.5–5 s.
    await expect.poll(readyz, { timeout: 15_000 }).toBe("200");
  });

  it("is 503 from the moment a stop signal arrives, for good, while liveness stays 200", async () => {
    expect(await readyz()).toBe("200");
    readiness.draining("SIGTERM");
    expect(await readyz()).toBe(
      "503 not ready: draining after SIGTERM: taking no new jobs, finishing the calls in flight",
    );
    expect((await fetch(`${http.url}/healthz`)).status).toBe(200);
  });

  it("counts a batch worker paused outside the batch window as ready (idle on purpose)", async () => {
    const paused = new Worker(`{readiness-${randomUUID()}}`, async () => {}, {
      connection: redis,
      prefix: "test",
      autorun: false,
    });
    try {
      await paused.pause(true);
      const fresh = new WorkerReadiness();
      fresh.running({ redis, workers: [{ worker }, { worker: paused }] });
      expect(await fresh.check()).toEqual({ ready: true });
    } finally {
      await paused.close();
    }
  });

  it("names a tier worker that stopped running", async () => {
    const fresh = new WorkerReadiness();
    fresh.running({ redis, workers: [{ worker }] });
    expect(await fresh.check()).toEqual({ ready: true });
    await worker.close();
    expect(await fresh.check()).toEqual({ ready: false, reason: `tier workers not running: ${worker.name}` });
  });

  it("keeps /metrics behind the operator credential", async () => {
    const res = await fetch(`${http.url}/metrics`);
    expect(res.status).toBe(401);
  });
});
