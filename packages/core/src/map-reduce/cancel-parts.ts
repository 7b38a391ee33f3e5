import type { JobEvents } from "../job-events.ts";
import type { JobRecord } from "../job-record.ts";
import { TERMINAL_STATUSES } from "../job-record.ts";
import type { JobStore } from "../job-store.ts";
import type { TierQueues } from "../tier-queues.ts";

export interface CancelPartsDeps {
  store: JobStore;
  queues: TierQueues;
  events?: JobEvents;
  now?: () => Date;
}

/**
 * Cancels the unfinished parts of a map-reduce job's current round (the job was cancelled, or a
 * part failed for good): queued parts leave their queues, running ones have their calls aborted by
 * their workers; what they already spent still reaches the job's history when they stop.
 */
export async function cancelParts(deps: CancelPartsDeps, job: JobRecord): Promise<void> {
  const parts = job.map_reduce?.phase === "map" ? job.map_reduce.parts : [];
  const at = (deps.now ?? (() => new Date()))().toISOString();
  await Promise.all(
    parts.map(async ({ id }) => {
      let cancelled = false;
      const updated = await deps.store.update(id, (part) => {
        cancelled = !TERMINAL_STATUSES.has(part.job.status);
        return cancelled
          ? { ...part, job: { ...part.job, status: "cancelled", finished_at: at } }
          : undefined;
      });
      if (!updated || !cancelled) return;
      const queued = await deps.queues
        .get(updated.job.tier, updated.job.class)
        .getJob(`${id}.${updated.hop}`);
      if (queued && (await queued.getState()) !== "active") await queued.remove().catch(() => undefined);
      await deps.events?.announceCancel(id, updated.hop).catch(() => undefined);
    }),
  );
}
