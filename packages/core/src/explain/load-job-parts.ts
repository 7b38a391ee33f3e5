import type { JobEvents } from "../job-events.ts";
import type { JobRecord } from "../job-record.ts";
import type { JobStore } from "../job-store.ts";
import type { StoredPart } from "./map-reduce-parts.ts";
import { isMapReduce, partIdsOf } from "./map-reduce-parts.ts";

export interface LoadJobPartsDeps {
  store: Pick<JobStore, "get">;
  events: Pick<JobEvents, "history">;
}

/**
 * The records and event streams of a map-reduce job's parts (every round), for `explainJob`:
 * only a part's own record keeps its escalations and status, only its stream its retries and
 * skipped deployments. Parts whose record expired are left out (the explanation then tells them
 * from the job's history). Empty for a job that was not split.
 *
 * @example
 * const parts = await loadJobParts({ store, events }, record);
 * explainJob({ record, events: await events.history(record.job.id), parts });
 */
export async function loadJobParts(
  deps: LoadJobPartsDeps,
  record: JobRecord,
): Promise<Map<string, StoredPart>> {
  if (!isMapReduce(record)) return new Map();
  const loaded = await Promise.all(
    partIdsOf(record).map(async (id) => {
      const [stored, events] = await Promise.all([deps.store.get(id), deps.events.history(id)]);
      return stored ? ([[id, { record: stored.record, events }]] as const) : [];
    }),
  );
  return new Map(loaded.flat());
}
