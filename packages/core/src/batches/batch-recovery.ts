import type { JobStore } from "../job-store.ts";
import type { BatchStore } from "./batch-store.ts";
import type { EnqueueBatchDeps } from "./enqueue-batch.ts";
import { BATCH_CHUNK_ITEMS, BATCH_LEASE_MS, enqueueBatch } from "./enqueue-batch.ts";
import type { SweepBatchCancelDeps } from "./sweep-batch-cancel.ts";
import { sweepBatchCancel } from "./sweep-batch-cancel.ts";

export interface BatchRecoveryDeps extends EnqueueBatchDeps, SweepBatchCancelDeps {
  store: JobStore;
}

/** What the recovery did with a batch whose process died. */
export type RecoveredBatch = {
  batchId: string;
  /**
   * Staged but never committed: deleted. Committed: its remaining items queued. Cancelled: the
   * cancel's sweep over its items finished. No batch (or nothing to do): lease dropped.
   */
  action: "discarded" | "enqueued" | "cancelled" | "dropped";
};

/**
 * Deletes a batch that is still staging, its items' job records first (none of them was ever
 * queued). A batch that was committed meanwhile is left alone.
 */
export async function discardStagedBatch(
  deps: { store: JobStore; batches: BatchStore },
  batchId: string,
): Promise<void> {
  const meta = await deps.batches.get(batchId);
  if (meta && meta.state !== "staging") return;
  for (let start = 0; ; start += BATCH_CHUNK_ITEMS) {
    const items = await deps.batches.readItems(batchId, start, BATCH_CHUNK_ITEMS);
    if (items.length === 0) break;
    await Promise.all(items.map((item) => deps.store.delete(item.jobId)));
  }
  await deps.batches.discard(batchId);
}

/**
 * Finishes what a dead process left: each batch whose lease ran out is taken over (by exactly one
 * caller) and rolled back if it was still staging, or forward (queued in full) if committed; a
 * cancelled batch whose sweep over its items was cut short has it finished from where it stopped.
 * Any API process may run it; `startBatchRecovery` runs it periodically.
 */
export async function recoverBatches(
  deps: BatchRecoveryDeps,
  options: { max?: number } = {},
): Promise<RecoveredBatch[]> {
  const taken = await deps.batches.claimExpiredLeases(BATCH_LEASE_MS, options.max ?? 10);
  const recovered: RecoveredBatch[] = [];
  for (const batchId of taken) {
    const meta = await deps.batches.get(batchId);
    if (!meta) {
      await deps.batches.discard(batchId);
      recovered.push({ batchId, action: "dropped" });
    } else if (meta.state === "staging") {
      await discardStagedBatch(deps, batchId);
      recovered.push({ batchId, action: "discarded" });
    } else {
      await enqueueBatch(deps, batchId);
      recovered.push({ batchId, action: "enqueued" });
    }
  }
  const cancelling = await deps.batches.claimExpiredLeases(BATCH_LEASE_MS, options.max ?? 10, "cancelling");
  for (const batchId of cancelling) {
    const outcome = await sweepBatchCancel(deps, batchId, { resumed: true });
    recovered.push({ batchId, action: outcome === "done" ? "cancelled" : "dropped" });
  }
  return recovered;
}

/** Options of {@link startBatchRecovery}. */
export interface BatchRecoveryOptions {
  /**
   * How often to look for abandoned batches.
   * @defaultValue 15000
   */
  intervalMs?: number;
  onRecovered?: (batch: RecoveredBatch) => void;
  onError?: (error: unknown) => void;
}

/** Runs {@link recoverBatches} every `intervalMs` until the returned stop is called. */
export function startBatchRecovery(deps: BatchRecoveryDeps, options: BatchRecoveryOptions = {}): () => void {
  let running = false;
  const timer = setInterval(() => {
    if (running) return;
    running = true;
    recoverBatches(deps)
      .then((batches) => {
        for (const batch of batches) options.onRecovered?.(batch);
      })
      .catch((error: unknown) => options.onError?.(error))
      .finally(() => {
        running = false;
      });
  }, options.intervalMs ?? 15_000);
  timer.unref();
  return () => clearInterval(timer);
}
