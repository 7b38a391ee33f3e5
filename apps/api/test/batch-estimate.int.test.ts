import type { BatchTrackEvent } from "@llmr/core";
import { BatchObjectSchema, BatchTrackMonitor } from "@llmr/core";
import { simMarker } from "@llmr/simulator";
import { redisFixture } from "@llmr/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { postBatch, startBatchTestStack, waitForBatch } from "./batch-test-stack.ts";
import { auth, KEY_A } from "./start-test-api.ts";

const redis = redisFixture();
let stack: Awaited<ReturnType<typeof startBatchTestStack>>;
let url: string;

const hhmm = (minutes: number) => {
  const m = ((minutes % 1440) + 1440) % 1440;
  return `${String(Math.floor(m / 60)).padStart(2, "0")}:${String(m % 60).padStart(2, "0")}`;
};

beforeAll(async () => {
  // A daily window open from an hour ago to an hour from now: batch work runs, and the object shows it.
  const now = new Date();
  const minute = now.getUTCHours() * 60 + now.getUTCMinutes();
  stack = await startBatchTestStack(redis, {
    batches: { window: { start: hhmm(minute - 60), end: hhmm(minute + 60), time_zone: "UTC" } },
  });
  url = stack.api.url;
});
afterAll(async () => {
  await stack.close();
});

describe("a batch's estimate", () => {
  it("says early that a batch whose complete_by is too near will not make it, and a worker warns once", async () => {
    // 40 items of 1 s each, at most 4 at a time (the fast tier's batch slots): 10 s of work for 4 s.
    const completeBy = new Date(Date.now() + 4_000).toISOString();
    const accepted = await postBatch(url, {
      items: Array.from({ length: 40 }, (_, i) => ({
        custom_id: `doc-${i}`,
        input: `Answer note ${i}. ${simMarker({ latency_ms: 1_000 })}`,
      })),
      complete_by: completeBy,
    });
    expect(accepted.status).toBe(202);
    const queued = BatchObjectSchema.parse(accepted.body);
    expect(queued.window).toMatchObject({ time_zone: "UTC", open: true, opens_at: null });
    expect(queued.estimate).toMatchObject({ remaining: 40, on_track: null, finish_at: null });

    // As soon as a few items finished, well before complete_by.
    const measured = await waitForBatch(url, queued.id, (b) => b.estimate.basis === "measured", 4_000);
    expect(Date.now()).toBeLessThan(Date.parse(completeBy));
    const { estimate } = BatchObjectSchema.parse(measured);
    expect(estimate.on_track).toBe(false);
    expect(estimate.remaining).toBeGreaterThan(0);
    expect(estimate.items_per_minute).toBeGreaterThan(0);
    expect(Date.parse(estimate.finish_at ?? "")).toBeGreaterThan(Date.parse(completeBy));
    expect(Date.parse(measured.started_at ?? "")).toBeGreaterThanOrEqual(Date.parse(queued.created_at));

    // Two workers watch the batch; only one of them tells.
    const events: BatchTrackEvent[] = [];
    const { connection, keys, batches } = stack.worker;
    const watchers = [1, 2].map(
      () => new BatchTrackMonitor(connection, keys, batches, { onEvent: (event) => events.push(event) }),
    );
    for (const watcher of watchers) {
      watcher.watch(queued.id);
      await watcher.check();
    }
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      type: "off_track",
      batch: { id: queued.id, complete_by: completeBy, estimate: { on_track: false } },
    });

    const cancel = await fetch(`${url}/v1/batches/${queued.id}/cancel`, {
      method: "POST",
      headers: auth(KEY_A),
    });
    expect(cancel.status).toBe(200);
    const cancelled = BatchObjectSchema.parse(await cancel.json());
    expect(cancelled.estimate).toMatchObject({ on_track: null, basis: "cancelled" });
  });
});
