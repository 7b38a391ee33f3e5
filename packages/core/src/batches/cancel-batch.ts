import { setTimeout as sleep } from "node:timers/promises";
import { BatchNotCancellableError } from "../errors/batch-not-cancellable-error.ts";
import type { BatchCancelSweeps } from "./batch-cancel-sweeps.ts";
import type { PublicBatch } from "./batch-object.ts";
import type { BatchStore } from "./batch-store.ts";
import { BATCH_LEASE_MS } from "./enqueue-batch.ts";

/**
 * How long a cancel waits for its sweep before answering: a small batch's answer then has its
 * final counts, while a batch of tens of thousands (a sweep of tens of seconds) is answered at once.
 */
export const CANCEL_ANSWER_WAIT_MS = 250;

export interface CancelBatchDeps {
  batches: BatchStore;
  /** Runs the sweep that cancels the items, in the background. */
  cancelSweeps: BatchCancelSweeps;
  now?: () => Date;
  /** @defaultValue {@link CANCEL_ANSWER_WAIT_MS} */
  answerWaitMs?: number;
}

/**
 * Cancels the tenant's batch and answers at once: the batch says `cancelled` (with its
 * `cancel_requested_at`) from now on, and a sweep cancels every item that has not finished in the
 * background, as a single job is cancelled (a queued one leaves its queue, a running one's call is
 * aborted). Meanwhile a worker taking an item cancels it without a call. The counts keep settling
 * until every item is final, when `finished_at` is set and `batch.completed` is sent. The sweep
 * is leased: when its process dies, the recovery of another process finishes it. Items that
 * finished keep their results. Cancelling a cancelled batch answers with it as it is.
 *
 * @throws BatchNotCancellableError when the batch already completed (409)
 * @returns undefined when the tenant has no such batch
 */
export async function cancelBatch(
  deps: CancelBatchDeps,
  tenant: string,
  batchId: string,
): Promise<PublicBatch | undefined> {
  const meta = await deps.batches.get(batchId);
  if (!meta || meta.tenant !== tenant) return undefined;
  if (meta.status === "completed") throw new BatchNotCancellableError();
  // The lease before the mark: a crash in between leaves a lease the recovery drops. No lease
  // taken means a sweep holds it already (running, or dead and awaiting the recovery).
  const leased = await deps.batches.leaseCancel(batchId, BATCH_LEASE_MS);
  const marked = await deps.batches.requestCancel(batchId, (deps.now ?? (() => new Date()))());
  if (marked === "missing" || marked === "completed") {
    if (leased) await deps.batches.releaseCancel(batchId);
    if (marked === "missing") return undefined;
    throw new BatchNotCancellableError();
  }
  if (leased) {
    const sweep = deps.cancelSweeps.start(batchId);
    const waited = new AbortController();
    await Promise.race([
      sweep,
      sleep(deps.answerWaitMs ?? CANCEL_ANSWER_WAIT_MS, undefined, { signal: waited.signal }).catch(
        () => undefined,
      ),
    ]);
    waited.abort();
  }
  const after = await deps.batches.get(batchId);
  return deps.batches.toPublic(after ?? meta);
}
