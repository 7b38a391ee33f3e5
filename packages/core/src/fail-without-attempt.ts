import type { JobRecord } from "./job-record.ts";
import { TERMINAL_STATUSES } from "./job-record.ts";
import type { ProcessorDeps } from "./process-job.ts";

/** Ends a job that cannot be served at all (no deployment will ever take it), with the reason. */
export async function failWithoutAttempt(
  deps: ProcessorDeps,
  record: JobRecord,
  error: { type: string; message: string },
  at: Date,
): Promise<JobRecord | undefined> {
  const updated = await deps.store.update(record.job.id, (current) =>
    TERMINAL_STATUSES.has(current.job.status)
      ? undefined
      : { ...current, job: { ...current.job, status: "failed", error, finished_at: at.toISOString() } },
  );
  if (!updated) return undefined;
  await deps.events?.publish(record.job.id, "job", updated.job).catch(() => undefined);
  await deps.onFinished?.(updated).catch(() => undefined);
  return updated;
}
