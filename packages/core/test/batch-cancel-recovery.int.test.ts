import { redisFixture } from "@llmr/testing";
import type { Queue } from "bullmq";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BatchCancelSweeps } from "../src/batches/batch-cancel-sweeps.ts";
import type { BatchCompletedDelivery } from "../src/batches/batch-notifier.ts";
import { createBatchNotifier } from "../src/batches/batch-notifier.ts";
import { recoverBatches } from "../src/batches/batch-recovery.ts";
import type { BatchSource } from "../src/batches/batch-source.ts";
import { BatchStore } from "../src/batches/batch-store.ts";
import { cancelBatch } from "../src/batches/cancel-batch.ts";
import { BATCH_LEASE_MS } from "../src/batches/enqueue-batch.ts";
import { submitBatch } from "../src/batches/submit-batch.ts";
import { JobEvents } from "../src/job-events.ts";
import { JobStore } from "../src/job-store.ts";
import { RedisKeys } from "../src/redis-keys.ts";
import { TierQueues } from "../src/tier-queues.ts";
import { routerTestConfig } from "./router-test-config.ts";

const ITEMS = 2_000;
const redis = redisFixture();
const connection = redis.connect();
const config = routerTestConfig({ simulatorUrl: "http://127.0.0.1:9", keyPrefix: redis.prefix });
const keys = new RedisKeys(config.redis.keyPrefix);
const batches = new BatchStore(connection, keys);
const sent: BatchCompletedDelivery[] = [];
const notify = createBatchNotifier(batches, async (delivery) => {
  sent.push(delivery);
});
const store = new JobStore(connection, keys, { retentionSeconds: 60, batches: { onFinished: notify } });
const events = new JobEvents(connection, keys, { retentionSeconds: 60 });
let queues: TierQueues;

beforeAll(() => {
  queues = new TierQueues(connection, config);
});
afterAll(async () => {
  await queues.close();
});

const deps = () => ({ config, store, batches, queues, events });

function source(count: number): BatchSource {
  return {
    options: { webhook: { url: "https://example.com/hook" } },
    optionsWhere: "",
    entries: (async function* () {
      for (let i = 0; i < count; i++)
        yield { where: `items[${i}]`, raw: { custom_id: `c${i}`, input: `item ${i}` } };
    })(),
  };
}

/** The batch in the end: every item cancelled, counted once, its BullMQ job gone, one webhook. */
async function expectSettled(batchId: string): Promise<void> {
  expect(await batches.get(batchId)).toMatchObject({
    status: "cancelled",
    cancelSwept: ITEMS,
    counts: { total: ITEMS, queued: 0, running: 0, succeeded: 0, failed: 0, cancelled: ITEMS },
  });
  expect((await batches.get(batchId))?.finishedAt).not.toBeNull();
  const items = await batches.readItems(batchId, 0, ITEMS);
  const left = await Promise.all(
    items.map((item) => queues.get(item.tier, "batch").getJob(`${item.jobId}.1`)),
  );
  expect(left.filter((job) => job !== undefined)).toHaveLength(0);
  const records = await Promise.all(items.map((item) => store.get(item.jobId)));
  expect(records.filter((stored) => stored?.record.job.status !== "cancelled")).toHaveLength(0);
  expect(sent.filter((delivery) => delivery.jobId === batchId)).toHaveLength(1);
  expect(await connection.zscore(keys.cancellingBatches, batchId)).toBeNull();
}

describe("a batch cancel whose sweep over the items was cut short", () => {
  it("is finished by another process's recovery once the lease ran out, from where it stopped", async () => {
    const batch = await submitBatch(deps(), "t", source(ITEMS));
    // The cancelling process loses Redis in its second chunk (its BullMQ reads fail) and dies:
    // some items of that chunk are cancelled but still queued, and the chunk is not marked swept.
    let reads = 0;
    const failing = Object.create(queues) as TierQueues;
    failing.get = (tier, jobClass) => {
      const queue = queues.get(tier, jobClass);
      return Object.assign(Object.create(queue) as Queue, {
        getJob: (id: string) => (reads++ < 600 ? queue.getJob(id) : Promise.reject(new Error("gone"))),
      });
    };
    let failed: (error: unknown) => void = () => undefined;
    const died = new Promise<unknown>((resolve) => (failed = resolve));
    const dying = new BatchCancelSweeps(
      { ...deps(), queues: failing },
      { onError: (error) => failed(error) },
    );
    const answer = await cancelBatch({ batches, cancelSweeps: dying, answerWaitMs: 0 }, "t", batch.id);
    expect(answer).toMatchObject({ status: "cancelled", counts: { total: ITEMS } });
    expect(answer?.cancel_requested_at).not.toBeNull();
    expect(await died).toBeInstanceOf(Error);
    const cut = await batches.get(batch.id);
    expect(cut).toMatchObject({ status: "cancelled", cancelSwept: 500 });
    expect(cut?.finishedAt).toBeNull();
    const stillQueued = await queues.get("fast", "batch").getJobCounts("wait");
    expect(stillQueued.wait).toBeGreaterThan(0);

    // Nothing is taken over while the lease runs; once it ran out, one recovery finishes the sweep.
    expect(await recoverBatches(deps())).not.toContainEqual(expect.objectContaining({ batchId: batch.id }));
    await connection.zadd(keys.cancellingBatches, Date.now() - BATCH_LEASE_MS, batch.id);
    expect(await recoverBatches(deps())).toContainEqual({ batchId: batch.id, action: "cancelled" });
    await expectSettled(batch.id);
    expect(await recoverBatches(deps())).not.toContainEqual(expect.objectContaining({ batchId: batch.id }));
  });

  it("is handed to the recovery at once when its process shuts down", async () => {
    const batch = await submitBatch(deps(), "t", source(ITEMS));
    const stopping = new BatchCancelSweeps(deps());
    await cancelBatch({ batches, cancelSweeps: stopping, answerWaitMs: 0 }, "t", batch.id);
    // The shutdown stops the sweep after its chunk under way and lets the lease run out now.
    await stopping.close();
    expect((await batches.get(batch.id))?.cancelSwept).toBeLessThan(ITEMS);
    expect(await recoverBatches(deps())).toContainEqual({ batchId: batch.id, action: "cancelled" });
    await expectSettled(batch.id);
  });

  it("stops a batch still being queued from queueing the rest", async () => {
    const batch = await submitBatch(deps(), "t", source(10));
    // As if the cancel landed while the batch was still being queued: its queueing resumes after.
    await batches.markEnqueued(batch.id, 0);
    await connection.hset(keys.batch(batch.id), "state", "committing");
    await connection.zadd(keys.pendingBatches, Date.now() - BATCH_LEASE_MS, batch.id);
    const sweeps = new BatchCancelSweeps(deps());
    await cancelBatch({ batches, cancelSweeps: sweeps, answerWaitMs: 60_000 }, "t", batch.id);
    expect(await recoverBatches(deps())).toContainEqual({ batchId: batch.id, action: "enqueued" });
    expect(await batches.get(batch.id)).toMatchObject({
      state: "ready",
      enqueued: 0,
      finishedAt: expect.any(String),
      counts: { total: 10, queued: 0, cancelled: 10 },
    });
    const items = await batches.readItems(batch.id, 0, 10);
    const left = await Promise.all(
      items.map((item) => queues.get(item.tier, "batch").getJob(`${item.jobId}.1`)),
    );
    expect(left.filter((job) => job !== undefined)).toHaveLength(0);
  });
});
