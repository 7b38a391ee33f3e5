import type { JobRecord } from "./job-record.ts";
import { TERMINAL_STATUSES } from "./job-record.ts";
import type { ProcessorDeps } from "./processor/processor-deps.ts";

/**
 * Ends a job that cannot be served at all (no deployment will ever take it), with the reason.
 * Resolves with the record when this call made it final, else undefined (it was final already).
 */
export async function failWithoutAttempt(
  deps: ProcessorDeps,
  record: JobRecord,
  error: { type: string; message: string },
  at: Date,
): Promise<JobRecord | undefined> {
  // The store hands back the current record when nothing was written: only a write of ours counts.
  let wrote = false;
  const updated = await deps.store.update(record.job.id, (current) => {
    wrote = !TERMINAL_STATUSES.has(current.job.status);
    return wrote
      ? { ...current, job: { ...current.job, status: "failed", error, finished_at: at.toISOString() } }
      : undefined;
  });
  if (!updated || !wrote) return undefined;
  await deps.events?.publish(record.job.id, "job", updated.job).catch(() => undefined);
  await deps.onFinished?.(updated).catch(() => undefined);
  return updated;
}
