import type { CancelDeps } from "../cancel-job.ts";
import { cancelJob } from "../cancel-job.ts";
import { JobNotCancellableError } from "../errors/job-not-cancellable-error.ts";
import type { JobStatus } from "../job-record.ts";
import { TERMINAL_STATUSES } from "../job-record.ts";
import { cancelParts } from "../map-reduce/cancel-parts.ts";
import type { BatchItemEntry, BatchStore } from "./batch-store.ts";
import { BATCH_CHUNK_ITEMS, BATCH_LEASE_MS } from "./enqueue-batch.ts";

/** Items cancelled at once: each is a few round trips (the record, its BullMQ job, the abort notice). */
const CANCEL_CONCURRENCY = 100;

export interface SweepBatchCancelDeps extends CancelDeps {
  batches: BatchStore;
}

/** Options of {@link sweepBatchCancel}. */
export interface SweepBatchCancelOptions {
  /** Stops the sweep after the chunk under way; its lease is handed to the recovery at once. */
  signal?: AbortSignal;
  /** Told after each chunk with how many items (from the first) the sweep has been through. */
  onChunk?: (through: number) => void;
  /**
   * The sweep takes over from one that died: its first chunk may hold items that one cancelled
   * without dequeueing them yet (cancelling a cancelled job does nothing), so they are dequeued here.
   * @defaultValue false
   */
  resumed?: boolean;
}

/**
 * `done`: every item is final or cancelled. `stopped`: the signal stopped it. `dropped`: no such
 * batch, or one that was not cancelled (a lease taken by a cancel that then found it completed).
 */
export type SweepOutcome = "done" | "stopped" | "dropped";

/**
 * Cancels the unfinished items of a cancelled batch, chunk by chunk from where a previous sweep
 * stopped (the batch keeps how far it got), as a client's cancel of each job would: a queued item
 * leaves its queue, a running one's call is aborted by its worker, a map-reduce job's parts stop.
 * The caller holds the batch's `cancelling` lease; the sweep renews it while it runs and releases
 * it once done, so a sweep whose process died is resumed by `recoverBatches`.
 */
export async function sweepBatchCancel(
  deps: SweepBatchCancelDeps,
  batchId: string,
  options: SweepBatchCancelOptions = {},
): Promise<SweepOutcome> {
  const meta = await deps.batches.get(batchId);
  if (meta?.status !== "cancelled") {
    await deps.batches.releaseCancel(batchId);
    return "dropped";
  }
  const renew = setInterval(
    () => void deps.batches.renewLease(batchId, BATCH_LEASE_MS, "cancelling").catch(() => undefined),
    BATCH_LEASE_MS / 4,
  );
  renew.unref();
  try {
    for (let start = meta.cancelSwept; start < meta.counts.total; start += BATCH_CHUNK_ITEMS) {
      if (options.signal?.aborted) {
        // A graceful stop: another process may take over now rather than once the lease runs out.
        await deps.batches.renewLease(batchId, 0, "cancelling");
        return "stopped";
      }
      const items = await deps.batches.readItems(batchId, start, BATCH_CHUNK_ITEMS);
      if (items.length === 0) break;
      const redo = options.resumed === true && start === meta.cancelSwept;
      await cancelChunk(deps, meta.tenant, batchId, items, redo);
      await deps.batches.markCancelSwept(batchId, start + items.length);
      options.onChunk?.(start + items.length);
    }
  } finally {
    clearInterval(renew);
  }
  await deps.batches.releaseCancel(batchId);
  return "done";
}

/** Cancels a chunk's unfinished items; `redo` also dequeues those found cancelled already. */
async function cancelChunk(
  deps: SweepBatchCancelDeps,
  tenant: string,
  batchId: string,
  items: readonly BatchItemEntry[],
  redo: boolean,
): Promise<void> {
  const counted = await deps.batches.countedStates(
    batchId,
    items.map((item) => item.jobId),
  );
  // Counted final means final: a finished job never changes status again.
  const open = items.filter(
    (_, index) =>
      (redo && counted[index]?.status === "cancelled") ||
      !TERMINAL_STATUSES.has((counted[index]?.status ?? "queued") as JobStatus),
  );
  for (let from = 0; from < open.length; from += CANCEL_CONCURRENCY) {
    await Promise.all(
      open.slice(from, from + CANCEL_CONCURRENCY).map(async (item) => {
        await cancelJob(deps, tenant, item.jobId).catch((error: unknown) => {
          // It finished in the meantime: it keeps its result.
          if (!(error instanceof JobNotCancellableError)) throw error;
        });
        if (redo) await dequeueCancelled(deps, item.jobId);
      }),
    );
  }
}

/** Removes a cancelled job's queued BullMQ job and stops its parts (both no-ops when done already). */
async function dequeueCancelled(deps: SweepBatchCancelDeps, jobId: string): Promise<void> {
  const stored = await deps.store.get(jobId);
  const record = stored?.record;
  if (record?.job.status !== "cancelled") return;
  const queued = await deps.queues.get(record.job.tier, record.job.class).getJob(`${jobId}.${record.hop}`);
  if (queued && (await queued.getState()) !== "active") await queued.remove().catch(() => undefined);
  if (record.map_reduce) await cancelParts(deps, record);
}
