import { JobNotCancellableError } from "./errors/job-not-cancellable-error.ts";
import type { JobEvents } from "./job-events.ts";
import type { JobRecord, PublicJob } from "./job-record.ts";
import { TERMINAL_STATUSES } from "./job-record.ts";
import type { JobStore } from "./job-store.ts";
import { cancelParts } from "./map-reduce/cancel-parts.ts";
import type { TierQueues } from "./tier-queues.ts";

export interface CancelDeps {
  store: JobStore;
  queues: TierQueues;
  events: JobEvents;
  now?: () => Date;
  /** Called once, by the call whose write cancelled the job (not for a job already cancelled), e.g. to count it. */
  onCancelled?: (record: JobRecord) => void;
}

/**
 * Cancels the tenant's job: a queued job leaves its queue, a running job's provider call is aborted
 * by the worker that runs it (told through the event channel; the attempt is still recorded with
 * its cost). Cancelling a cancelled job returns it as it is; a finished one throws
 * `JobNotCancellableError`. Resolves with the job, or undefined when the tenant has no such job.
 */
export async function cancelJob(
  deps: CancelDeps,
  tenant: string,
  jobId: string,
): Promise<PublicJob | undefined> {
  const now = (deps.now ?? (() => new Date()))();
  let found = false;
  let alreadyCancelled = false;
  const updated = await deps.store.update(jobId, (current) => {
    if (current.tenant !== tenant) return undefined;
    found = true;
    if (current.job.status === "cancelled") {
      alreadyCancelled = true;
      return undefined;
    }
    if (TERMINAL_STATUSES.has(current.job.status)) throw new JobNotCancellableError(current.job.status);
    return { ...current, job: { ...current.job, status: "cancelled", finished_at: now.toISOString() } };
  });
  if (!found || !updated) return undefined;
  if (alreadyCancelled) return updated.job;
  deps.onCancelled?.(updated);

  // A queued BullMQ job is removed; an active one is aborted by its worker. Either way the record
  // says cancelled, so a job that slips through is skipped by the processor.
  const queued = await deps.queues.get(updated.job.tier, updated.job.class).getJob(`${jobId}.${updated.hop}`);
  const state = await queued?.getState();
  if (queued && state !== "active") await queued.remove().catch(() => undefined);
  await deps.events.announceCancel(jobId, updated.hop);
  // A long input being summarized in parts: its parts stop too.
  if (updated.map_reduce) await cancelParts(deps, updated);
  await deps.events
    .publish(jobId, "status", { status: "cancelled", tier: updated.job.tier })
    .catch(() => undefined);
  await deps.events.publish(jobId, "job", updated.job).catch(() => undefined);
  return updated.job;
}
