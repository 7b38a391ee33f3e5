import { UnrecoverableError } from "bullmq";
import { failWithoutAttempt } from "../fail-without-attempt.ts";
import type { JobError, JobRecord } from "../job-record.ts";
import { cancelParts } from "../map-reduce/cancel-parts.ts";
import { settlePart } from "../map-reduce/merge-part.ts";
import type { ProcessorContext } from "./processor-context.ts";
import { finishedEvent } from "./processor-context.ts";

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
  const failed = await failWithoutAttempt(ctx.deps, record, error, ctx.now());
  if (failed) await endedWithoutCall(ctx, jobId, failed);
  throw new UnrecoverableError(error.message);
}

/**
 * After this run's write made the job final without a call (failed, or cancelled with its batch):
 * the app hears of it once, a part's job learns of it, and a job's own unfinished parts stop.
 */
export async function endedWithoutCall(
  ctx: ProcessorContext,
  jobId: string,
  ended: JobRecord,
): Promise<void> {
  ctx.emit(finishedEvent(jobId, ended, true));
  await settlePart(ctx.deps, ended);
  if (ended.map_reduce) await cancelParts(ctx.deps, ended);
}
