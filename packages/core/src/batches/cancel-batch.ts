import type { CancelDeps } from "../cancel-job.ts";
import { cancelJob } from "../cancel-job.ts";
import { BatchNotCancellableError } from "../errors/batch-not-cancellable-error.ts";
import { JobNotCancellableError } from "../errors/job-not-cancellable-error.ts";
import type { JobStatus } from "../job-record.ts";
import { TERMINAL_STATUSES } from "../job-record.ts";
import type { PublicBatch } from "./batch-object.ts";
import type { BatchStore } from "./batch-store.ts";
import { BATCH_CHUNK_ITEMS } from "./enqueue-batch.ts";

/** Items cancelled at once: each is a few round trips (the record, its BullMQ job, the abort notice). */
const CANCEL_CONCURRENCY = 100;

export interface CancelBatchDeps extends CancelDeps {
  batches: BatchStore;
}

/**
 * Cancels the tenant's batch: it says `cancelled` at once, every item that has not finished is
 * cancelled as a single job is (a queued one leaves its queue, a running one's call is aborted by
 * its worker), and the batch object comes back with the counts after that. Items that finished
 * keep their results. Cancelling a cancelled batch cancels whatever is left again.
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
  const marked = await deps.batches.requestCancel(batchId);
  if (marked === "missing") return undefined;
  if (marked === "completed") throw new BatchNotCancellableError();
  for (let start = 0; start < meta.counts.total; start += BATCH_CHUNK_ITEMS) {
    const items = await deps.batches.readItems(batchId, start, BATCH_CHUNK_ITEMS);
    const counted = await deps.batches.countedStates(
      batchId,
      items.map((item) => item.jobId),
    );
    const open = items.filter(
      (_, index) => !TERMINAL_STATUSES.has((counted[index]?.status ?? "queued") as JobStatus),
    );
    for (let from = 0; from < open.length; from += CANCEL_CONCURRENCY) {
      await Promise.all(
        open.slice(from, from + CANCEL_CONCURRENCY).map((item) =>
          cancelJob(deps, tenant, item.jobId).catch((error: unknown) => {
            // It finished in the meantime: it keeps its result.
            if (!(error instanceof JobNotCancellableError)) throw error;
          }),
        ),
      );
    }
  }
  const after = await deps.batches.get(batchId);
  return deps.batches.toPublic(after ?? meta);
}
