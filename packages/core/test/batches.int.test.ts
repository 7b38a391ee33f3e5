import { redisFixture } from "@llmr/testing";
import type { Queue } from "bullmq";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { BatchCompletedDelivery } from "../src/batches/batch-notifier.ts";
import { createBatchNotifier } from "../src/batches/batch-notifier.ts";
import { recoverBatches } from "../src/batches/batch-recovery.ts";
import type { BatchSource } from "../src/batches/batch-source.ts";
import { BatchStore } from "../src/batches/batch-store.ts";
import { BATCH_LEASE_MS } from "../src/batches/enqueue-batch.ts";
import { submitBatch } from "../src/batches/submit-batch.ts";
import { newBatchId, newJobId } from "../src/ids.ts";
import { JobEvents } from "../src/job-events.ts";
import { JobStore } from "../src/job-store.ts";
import { RedisKeys } from "../src/redis-keys.ts";
import { TierQueues } from "../src/tier-queues.ts";
import { routerTestConfig } from "./router-test-config.ts";

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
let queues: TierQueues;

beforeAll(() => {
  queues = new TierQueues(connection, config);
});
afterAll(async () => {
  await queues.close();
});

function source(count: number, options: Record<string, unknown> = {}): BatchSource {
  return {
    options,
    optionsWhere: "",
    entries: (async function* () {
      for (let i = 0; i < count; i++)
        yield { where: `items[${i}]`, raw: { custom_id: `c${i}`, input: `item ${i}` } };
    })(),
  };
}

const events = new JobEvents(connection, keys, { retentionSeconds: 60 });
const deps = () => ({ config, store, batches, queues, events });

describe("batch counts", () => {
  it("follow the items' records, once per change whatever the order, and finish the batch once", async () => {
    const batch = await submitBatch(deps(), "t", source(2, { webhook: { url: "https://example.com/hook" } }));
    const [first, second] = (await batches.readItems(batch.id, 0, 2)).map((item) => item.jobId);
    if (!first || !second) throw new Error("items missing");
    const countsOf = async () => (await batches.get(batch.id))?.counts;

    await store.update(first, (r) => ({ ...r, job: { ...r.job, status: "running" } }));
    expect(await batches.get(batch.id)).toMatchObject({
      status: "running",
      counts: { queued: 1, running: 1 },
    });
    const done = await store.update(first, (r) => ({
      ...r,
      job: { ...r.job, status: "succeeded", cost_usd: 0.0000258 },
    }));
    // Counted again (a worker re-running the job after a crash): nothing changes.
    await store.syncBatchItem(first);
    await store.syncBatchItem(first);
    expect(await countsOf()).toMatchObject({ queued: 1, running: 0, succeeded: 1 });
    expect((await batches.get(batch.id))?.costUnits).toBe(258_000);
    expect(done?.job.status).toBe("succeeded");

    await store.update(second, (r) => ({ ...r, job: { ...r.job, status: "failed", cost_usd: 0.0000001 } }));
    const finished = await batches.get(batch.id);
    expect(finished).toMatchObject({ status: "completed", notified: true });
    expect(finished?.counts).toEqual({
      total: 2,
      queued: 0,
      running: 0,
      succeeded: 1,
      failed: 1,
      cancelled: 0,
    });
    expect(finished?.finishedAt).not.toBeNull();
    await store.syncBatchItem(second);
    expect(sent.filter((delivery) => delivery.jobId === batch.id)).toEqual([
      expect.objectContaining({
        event: "batch.completed",
        url: "https://example.com/hook",
        idempotencyKey: `${batch.id}:completed`,
        data: expect.objectContaining({ id: batch.id, status: "completed", cost_usd: 0.0000259 }),
      }),
    ]);
    // A finished batch starts its retention, like a finished job.
    expect(await connection.pttl(keys.batch(batch.id))).toBeGreaterThan(0);
  });
});

describe("batch recovery", () => {
  it("deletes a batch whose process died while staging it, job records included", async () => {
    const id = newBatchId();
    await batches.stage(
      {
        id,
        tenant: "t",
        createdAt: new Date().toISOString(),
        notBefore: null,
        completeBy: null,
        webhookUrl: null,
      },
      -1,
    );
    const jobId = newJobId();
    await batches.appendItems(id, [{ customId: "a", jobId, tier: "fast" }]);
    await connection.hset(keys.job(jobId), "v", 1, "doc", "{}");

    expect(await recoverBatches({ ...deps() })).toContainEqual({ batchId: id, action: "discarded" });
    expect(await connection.exists(keys.job(jobId), keys.batch(id), keys.batchItems(id))).toBe(0);
    expect(await connection.zscore(keys.pendingBatches, id)).toBeNull();
  });

  it("queues the rest of a committed batch whose process died while queueing it", async () => {
    // The first window of items is queued, then Redis "fails" for the rest and the process dies.
    let calls = 0;
    const failing = Object.create(queues) as TierQueues;
    failing.get = (tier, jobClass) => {
      const queue = queues.get(tier, jobClass);
      return Object.assign(Object.create(queue) as Queue, {
        addBulk: (jobs: Parameters<Queue["addBulk"]>[0]) =>
          calls++ < 2 ? queue.addBulk(jobs) : Promise.reject(new Error("gone")),
      });
    };
    let deferred: unknown;
    const batch = await submitBatch(
      { ...deps(), queues: failing, onEnqueueDeferred: (_id, error) => (deferred = error) },
      "t",
      source(1_200),
    );
    expect(deferred).toBeInstanceOf(Error);
    expect(batch.counts.total).toBe(1_200);
    expect(await batches.get(batch.id)).toMatchObject({ state: "committing", enqueued: 1_000 });

    // Nothing happens while the lease runs; once it has run out, one recovery queues the rest.
    expect(await recoverBatches(deps())).not.toContainEqual(expect.objectContaining({ batchId: batch.id }));
    await connection.zadd(keys.pendingBatches, Date.now() - BATCH_LEASE_MS, batch.id);
    expect(await recoverBatches(deps())).toContainEqual({ batchId: batch.id, action: "enqueued" });
    expect(await batches.get(batch.id)).toMatchObject({ state: "ready", enqueued: 1_200 });
    const items = await batches.readItems(batch.id, 0, 1_200);
    const queued = await Promise.all(
      items.map((item) => queues.get(item.tier, "batch").getJob(`${item.jobId}.1`)),
    );
    expect(queued.filter(Boolean)).toHaveLength(1_200);
  });
});
