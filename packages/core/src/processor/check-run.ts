import type { Span } from "@opentelemetry/api";
import type { Job } from "bullmq";
import { UnrecoverableError } from "bullmq";
import { cancelBatchItem } from "../batches/cancel-batch-item.ts";
import type { JobRecord } from "../job-record.ts";
import { TERMINAL_STATUSES } from "../job-record.ts";
import { settlePart } from "../map-reduce/merge-part.ts";
import { parentOf, QueuePayloadSchema } from "../tier-queues.ts";
import { endedWithoutCall, failRun } from "./fail-run.ts";
import type { ProcessorContext } from "./processor-context.ts";

/** Whether a run goes on to its call, or what it ended with before that. */
export type RunCheck =
  | { kind: "stop"; outcome: string }
  | {
      kind: "go";
      jobId: string;
      /** The job's record as this run first read it. */
      record: JobRecord;
      /** When the job's deadline passes (ms since the epoch; infinite without one). */
      deadlineAt: number;
    };

/**
 * The checks at the start of a run, before anything is called: a malformed payload, a record that
 * is gone, a job that finished already (notified again), a hop the record moved past or has not
 * reached, an item of a cancelled batch (cancelled here), a deadline that passed (failed here).
 */
export async function checkRun(ctx: ProcessorContext, job: Job, span: Span): Promise<RunCheck> {
  const { deps, emit, now } = ctx;
  const payload = QueuePayloadSchema.safeParse(job.data);
  if (!payload.success) throw new UnrecoverableError(`malformed queue payload: ${payload.error.message}`);
  const jobId = payload.data.job_id;
  span.setAttributes({ "llmr.job.id": jobId, "llmr.hop": payload.data.hop });

  const stored = await deps.store.get(jobId);
  if (!stored) {
    emit({ type: "skipped", jobId, reason: "record not found (expired or deleted)" });
    return { kind: "stop", outcome: "skipped" };
  }
  const { record } = stored;
  if (TERMINAL_STATUSES.has(record.job.status)) {
    // A part of a map-reduce job: make sure the job has it (cancelled parts too: their calls cost).
    await settlePart(deps, record);
    // Run again after the job finished: the worker that finished it may have died before its
    // webhook was queued. `onFinished` must be idempotent, so notifying again is safe.
    if (record.job.status !== "cancelled" && deps.onFinished) {
      await deps.onFinished(record).catch((error: unknown) => {
        emit({ type: "notify_failed", jobId, tenant: record.tenant, error });
      });
    }
    emit({ type: "skipped", jobId, reason: `already ${record.job.status}` });
    return { kind: "stop", outcome: "skipped" };
  }
  if (payload.data.hop < record.hop) {
    // The record moved on to a later hop (an escalation) but this BullMQ job did not finish:
    // the worker died between the two steps. Queue the current hop (a no-op when it is queued).
    await deps.queues.add(
      record.job.tier,
      record.job.class,
      { job_id: jobId, hop: record.hop },
      parentOf(job),
    );
    emit({ type: "skipped", jobId, reason: `hop ${payload.data.hop} superseded by hop ${record.hop}` });
    return { kind: "stop", outcome: "superseded" };
  }
  if (payload.data.hop > record.hop) {
    emit({
      type: "skipped",
      jobId,
      reason: `hop ${payload.data.hop} is ahead of the record (${record.hop})`,
    });
    return { kind: "stop", outcome: "skipped" };
  }

  const batchId = record.job.batch_id ?? record.part_of?.batch_id;
  if (batchId && (await deps.batches?.cancelRequested(batchId))) {
    // The batch's cancel reaches its items one by one (seconds for a big batch); one taken
    // before then is cancelled here, so a cancelled batch stops calling providers at once. A
    // part of an item's long input stops too, and an item summarized in parts stops its parts.
    const cancelled = await cancelBatchItem(deps, record, now());
    if (cancelled) await endedWithoutCall(ctx, jobId, cancelled);
    return { kind: "stop", outcome: "skipped" };
  }

  const deadlineAt = record.deadline_at ? Date.parse(record.deadline_at) : Number.POSITIVE_INFINITY;
  if (now().getTime() >= deadlineAt) {
    const seconds = deps.config.jobs.deadlineSeconds[record.job.class];
    // A batch item's deadline may be its batch's complete_by, or run from its not_before.
    const message = record.job.batch_id
      ? `the job did not finish by its deadline, ${record.deadline_at} (${seconds} s for batch jobs from when they may start, or the batch's complete_by if earlier)`
      : `the job did not finish within its deadline (${seconds} s for ${record.job.class} jobs)`;
    return failRun(ctx, jobId, record, { type: "deadline_exceeded", message });
  }
  return { kind: "go", jobId, record, deadlineAt };
}
