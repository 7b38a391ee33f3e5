import type { RouterConfig } from "@llmr/config";
import type { JobsOptions } from "bullmq";
import type { TierQueues } from "../tier-queues.ts";
import { QueuePayloadSchema, tierJobOptions } from "../tier-queues.ts";
import type { BatchItemEntry, BatchStore } from "./batch-store.ts";

/**
 * Items per step when a batch is staged, queued, read or cancelled: one Redis round trip (or one
 * BullMQ `addBulk` per tier) per chunk instead of one per item, and never all items in memory.
 */
export const BATCH_CHUNK_ITEMS = 500;
/**
 * How long a process's claim on a batch it is staging or queueing lasts; it renews it every
 * quarter of this. A batch whose lease ran out (its process died) is taken over by the recovery.
 */
export const BATCH_LEASE_MS = 60_000;
/** Chunks queued concurrently (each one `addBulk` per tier), so Redis is kept busy. */
const ENQUEUE_CHUNKS_AT_ONCE = 2;

export interface EnqueueBatchDeps {
  config: RouterConfig;
  batches: BatchStore;
  queues: TierQueues;
  now?: () => Date;
}

/**
 * Queues a committed batch's items on their starting tiers' batch queues, chunk by chunk from
 * where a previous run stopped (the batch keeps the count queued so far), delayed until
 * `not_before`. Every BullMQ job id is `<job id>.1`, so queueing an item twice (a run cut short
 * between `addBulk` and the count) adds it once. A batch cancelled meanwhile is queued no further:
 * its cancel's sweep cancels every item, queued or not.
 */
export async function enqueueBatch(deps: EnqueueBatchDeps, batchId: string): Promise<void> {
  const meta = await deps.batches.get(batchId);
  if (!meta || meta.state === "staging") throw new Error(`batch ${batchId} is not committed`);
  if (meta.state === "ready") return;
  const now = (deps.now ?? (() => new Date()))().getTime();
  const delayMs = meta.notBefore ? Math.max(0, Date.parse(meta.notBefore) - now) : 0;
  const base: JobsOptions = { ...tierJobOptions(deps.config), ...(delayMs > 0 ? { delay: delayMs } : {}) };
  const window = BATCH_CHUNK_ITEMS * ENQUEUE_CHUNKS_AT_ONCE;
  for (let start = meta.enqueued; start < meta.counts.total; start += window) {
    if (await deps.batches.cancelRequested(batchId)) break;
    const items = await deps.batches.readItems(batchId, start, window);
    if (items.length === 0) break;
    const bulks: Array<[tier: string, items: BatchItemEntry[]]> = [];
    for (let from = 0; from < items.length; from += BATCH_CHUNK_ITEMS) {
      const byTier = new Map<string, BatchItemEntry[]>();
      for (const item of items.slice(from, from + BATCH_CHUNK_ITEMS)) {
        byTier.set(item.tier, [...(byTier.get(item.tier) ?? []), item]);
      }
      bulks.push(...byTier);
    }
    await Promise.all(
      bulks.map(([tier, tierItems]) =>
        deps.queues.get(tier, "batch").addBulk(
          tierItems.map((item) => ({
            name: tier,
            data: QueuePayloadSchema.parse({ job_id: item.jobId, hop: 1 }),
            opts: { ...base, jobId: `${item.jobId}.1` },
          })),
        ),
      ),
    );
    // Only once the whole window is in: a run cut short redoes it, adding nothing twice.
    await deps.batches.markEnqueued(batchId, start + items.length);
    // Cancelled while this window was being added: the sweep may have passed these items before
    // their BullMQ jobs existed, so they are taken out here (a running one is left to its worker).
    if (await deps.batches.cancelRequested(batchId)) {
      await Promise.all(
        items.map((item) =>
          deps.queues
            .get(item.tier, "batch")
            .remove(`${item.jobId}.1`)
            .catch(() => 0),
        ),
      );
      break;
    }
  }
  await deps.batches.markReady(batchId);
}
