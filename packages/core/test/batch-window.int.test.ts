import type { RunningSimulator } from "@llmr/simulator";
import { simMarker, startSimulator } from "@llmr/simulator";
import { redisFixture } from "@llmr/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { BatchWindowEvent } from "../src/batch-window-gate.ts";
import type { PublicJob } from "../src/job-record.ts";
import { JobRequestSchema } from "../src/job-request.ts";
import { JobStore } from "../src/job-store.ts";
import { ProviderPool } from "../src/provider-pool.ts";
import { RedisKeys } from "../src/redis-keys.ts";
import { submitJob } from "../src/submit-job.ts";
import { TierQueues } from "../src/tier-queues.ts";
import { closeTierWorkers, startTierWorkers } from "../src/tier-workers.ts";
import { routerTestConfig } from "./router-test-config.ts";

const redis = redisFixture();
let simulator: RunningSimulator;
beforeAll(async () => {
  simulator = await startSimulator({ port: 0, latencyScale: 0 });
});
afterAll(async () => {
  await simulator?.close();
});

/** 01:00-01:30 UTC daily. */
const WINDOW = { startMinutes: 60, endMinutes: 90, timeZone: "UTC" };

/**
 * A clock that reads `wall` (an instant near the window's edges) now and runs on from there, so a
 * window edge a few seconds ahead is reached in real time without waiting for the real 01:00.
 */
function clockAt(wall: string) {
  const offsetMs = Date.parse(wall) - Date.now();
  return { now: () => new Date(Date.now() + offsetMs), realMs: (iso: string) => Date.parse(iso) - offsetMs };
}

function startRouter(now: () => Date) {
  const config = routerTestConfig({
    simulatorUrl: simulator.url,
    keyPrefix: redis.uniquePrefix(),
    // Any answer is good enough: one call per job, on the tier it starts on.
    edit: (doc) => {
      const chat = (doc.tasks as Record<string, { escalation?: Record<string, unknown> }>).chat;
      if (chat) chat.escalation = { ...chat.escalation, min_confidence: 0 };
    },
  });
  const connection = redis.connect();
  const store = new JobStore(connection, new RedisKeys(config.redis.keyPrefix), { retentionSeconds: 60 });
  const queues = new TierQueues(connection, config);
  const windowEvents: BatchWindowEvent[] = [];
  const workers = startTierWorkers(
    connection,
    { config, store, queues, providers: new ProviderPool(config) },
    { batchWindow: { window: WINDOW, now, onEvent: (event) => windowEvents.push(event) } },
  );
  const submit = async (body: Record<string, unknown>) =>
    (await submitJob({ config, store, queues }, "tenant-a", JobRequestSchema.parse(body))).job.id;
  const job = async (id: string) => (await store.get(id))?.record.job as PublicJob;
  const close = async () => {
    await closeTierWorkers(workers);
    await queues.close();
  };
  return { submit, job, close, windowEvents, queues };
}

async function until<T>(read: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`still ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe("the daily window for batch work", () => {
  it("outside it batch queues take nothing while interactive work runs; at its start they take the batch jobs", async () => {
    // Three seconds before 01:00.
    const clock = clockAt("2026-01-15T00:59:57.000Z");
    const opensAtMs = clock.realMs("2026-01-15T01:00:00.000Z");
    const router = startRouter(clock.now);
    try {
      const batchIds = await Promise.all(
        [1, 2, 3].map((i) => router.submit({ input: `Answer note ${i}.`, class: "batch" })),
      );
      const interactive = await router.submit({ input: "Hello there." });
      const answered = await until(
        () => router.job(interactive),
        (job) => job.status === "succeeded",
      );
      // The interactive job was answered while the window was still closed; no batch job started.
      expect(Date.parse(answered.finished_at ?? "")).toBeLessThan(opensAtMs);
      for (const id of batchIds)
        expect(await router.job(id)).toMatchObject({ status: "queued", attempts: [] });
      expect(router.windowEvents[0]).toMatchObject({
        type: "batch_window_closed",
        opensAt: new Date("2026-01-15T01:00:00.000Z"),
      });

      const done = await Promise.all(
        batchIds.map((id) =>
          until(
            () => router.job(id),
            (job) => job.status === "succeeded",
          ),
        ),
      );
      for (const job of done) expect(Date.parse(job.started_at ?? "")).toBeGreaterThanOrEqual(opensAtMs);
      expect(router.windowEvents.map((event) => event.type)).toEqual([
        "batch_window_closed",
        "batch_window_opened",
      ]);
      expect(router.windowEvents[1]).toMatchObject({ closesAt: new Date("2026-01-15T01:30:00.000Z") });
    } finally {
      await router.close();
    }
  });

  it("at its end a running call finishes; batch jobs submitted after it wait while interactive ones run", async () => {
    // Two seconds before 01:30, the window's end.
    const clock = clockAt("2026-01-15T01:29:58.000Z");
    const closesAtMs = clock.realMs("2026-01-15T01:30:00.000Z");
    const router = startRouter(clock.now);
    try {
      const long = await router.submit({
        input: `Answer this. ${simMarker({ latency_ms: 3_000 })}`,
        class: "batch",
      });
      await until(
        () => router.job(long),
        (job) => job.status === "running",
      );
      await until(
        async () => router.windowEvents.length,
        (count) => count === 2,
      );
      expect(router.windowEvents[1]).toMatchObject({
        type: "batch_window_closed",
        opensAt: new Date("2026-01-16T01:00:00.000Z"),
      });
      const late = await router.submit({ input: "Answer note 4.", class: "batch" });
      const interactive = await router.submit({ input: "Hello again." });
      await until(
        () => router.job(interactive),
        (job) => job.status === "succeeded",
      );
      // The call under way when the window closed was not cut off.
      const finished = await until(
        () => router.job(long),
        (job) => job.status === "succeeded",
      );
      expect(Date.parse(finished.finished_at ?? "")).toBeGreaterThan(closesAtMs);
      expect(await router.job(late)).toMatchObject({ status: "queued", attempts: [] });
    } finally {
      // Closing does not wait for tomorrow's window (the gate's timer never holds a drain).
      const closing = Date.now();
      await router.close();
      expect(Date.now() - closing).toBeLessThan(5_000);
    }
  });
});
