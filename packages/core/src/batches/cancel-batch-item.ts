import type { JobEvents } from "../job-events.ts";
import type { JobRecord } from "../job-record.ts";
import { TERMINAL_STATUSES } from "../job-record.ts";
import type { JobStore } from "../job-store.ts";

/** What {@link cancelBatchItem} writes to and tells. */
export interface CancelBatchItemDeps {
  store: JobStore;
  /** Where the job's status and final object go, for streams and waits; none: nobody is told. */
  events?: JobEvents;
}

/**
 * Cancels one item of a cancelled batch from the worker that took it, before any provider call.
 * `cancelBatch` marks the batch first and then cancels its items one by one, a few round trips
 * each: a batch of tens of thousands takes seconds, during which the workers would otherwise keep
 * calling providers for the items it has not reached. The write is the one a client's cancel makes
 * (the batch's counts follow it); the cancel's own loop then finds the item cancelled already.
 *
 * Resolves with the record when this call cancelled the job, else undefined (it had finished, was
 * cancelled already, or moved to another hop).
 */
export async function cancelBatchItem(
  deps: CancelBatchItemDeps,
  record: JobRecord,
  at: Date,
): Promise<JobRecord | undefined> {
  let wrote = false;
  const updated = await deps.store.update(record.job.id, (current) => {
    wrote = !TERMINAL_STATUSES.has(current.job.status) && current.hop === record.hop;
    return wrote
      ? { ...current, job: { ...current.job, status: "cancelled", finished_at: at.toISOString() } }
      : undefined;
  });
  if (!updated || !wrote) return undefined;
  await deps.events
    ?.publish(record.job.id, "status", { status: "cancelled", tier: updated.job.tier })
    .catch(() => undefined);
  await deps.events?.publish(record.job.id, "job", updated.job).catch(() => undefined);
  return updated;
}
