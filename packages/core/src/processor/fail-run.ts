import { UnrecoverableError } from "bullmq";
import { failWithoutAttempt } from "../fail-without-attempt.ts";
import type { JobError, JobRecord } from "../job-record.ts";
import { cancelParts } from "../map-reduce/cancel-parts.ts";
import { mergePart, wakeParent } from "../map-reduce/merge-part.ts";
import type { ProcessorContext } from "./processor-context.ts";

/**
 * Ends a run whose job cannot go on (its deadline passed, no deployment can ever take it, a part
 * failed for good) without a call: the job fails with `error` and the app hears of it once (a
 * map-reduce part as a part, not as a job); a part's job learns of it, and a job's own unfinished
 * parts stop. Then the BullMQ job ends for good.
 */
export async function failRun(
  ctx: ProcessorContext,
  jobId: string,
  record: JobRecord,
  error: JobError,
): Promise<never> {
  const { deps } = ctx;
  const failed = await failWithoutAttempt(deps, record, error, ctx.now());
  if (failed) {
    ctx.emit({
      type: "finished",
      jobId,
      tenant: record.tenant,
      job: failed.job,
      transitioned: true,
      ...(failed.part_of ? { partOf: failed.part_of.job_id } : {}),
    });
    if (failed.part_of) await wakeParent(deps.queues, await mergePart(deps, failed), failed);
    if (failed.map_reduce) await cancelParts(deps, failed);
  }
  throw new UnrecoverableError(error.message);
}
