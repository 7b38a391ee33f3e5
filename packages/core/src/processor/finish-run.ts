import type { ResolvedTier } from "@llmr/config";
import type { Job } from "bullmq";
import { UnrecoverableError, WaitingError } from "bullmq";
import type { CallOutcome } from "../call-provider.ts";
import { RetryLaterError } from "../errors/retry-later-error.ts";
import type { JobRecord } from "../job-record.ts";
import { TERMINAL_STATUSES } from "../job-record.ts";
import type { Verdict } from "../judge-answer.ts";
import { settlePart } from "../map-reduce/merge-part.ts";
import { recordAttempt } from "../record-attempt.ts";
import { parentOf } from "../tier-queues.ts";
import type { CallAttempts } from "./call-attempts.ts";
import type { NextStep } from "./next-step.ts";
import type { ProcessorContext } from "./processor-context.ts";
import { emitAttempt, finishedEvent } from "./processor-context.ts";
import type { CallRun } from "./run-call.ts";

/** Everything a run's end needs: its BullMQ job, the record it first read, and how its call went. */
export interface RunEnd {
  job: Job;
  token: string | undefined;
  jobId: string;
  record: JobRecord;
  tier: ResolvedTier;
  callRun: CallRun;
  attempts: CallAttempts;
  verdict: Verdict | undefined;
  outputJson: unknown;
  next: NextStep;
}

/**
 * Stores the call's outcome in the job's record and carries it out: back to the queue (shutdown),
 * queued on the next tier (escalation or fallback), finished (its map-reduce job told, its webhook
 * queued), or retried. Resolves with the run's outcome; a retry or a failure throws the BullMQ
 * error that says so.
 */
export async function finishRun(ctx: ProcessorContext, end: RunEnd): Promise<string> {
  const { deps, emit, publish } = ctx;
  const { job, token, jobId, record, tier, verdict, outputJson } = end;
  const { raced, deployment, call, finishedAt, shutdownAbort } = end.callRun;
  const { attempt, otherAttempt } = end.attempts;
  const { retryInMs, escalateTo, moveReason } = end.next;
  const recordOutcome = (current: JobRecord) =>
    recordAttempt(current, {
      hop: record.hop,
      attempt,
      otherAttempt,
      call,
      verdict,
      shutdownAbort,
      moveTo: escalateTo ? { tier: escalateTo, reason: moveReason } : undefined,
      retrying: retryInMs !== null,
      tier,
      deployment,
      finishedAt,
      outputJson,
    });
  // Every outcome clears the in-flight marker: the call's attempt is in the history now. What
  // this write did (attempts added, job made final) is kept from the round that was stored.
  let wrote = false;
  let transitioned = false;
  const updated = await deps.store.update(jobId, (current) => {
    const next = recordOutcome(current);
    wrote = next !== undefined;
    transitioned =
      next !== undefined &&
      TERMINAL_STATUSES.has(next.job.status) &&
      !TERMINAL_STATUSES.has(current.job.status);
    return next && { ...next, in_flight: null };
  });
  const firstByteOf = (outcome: CallOutcome) => (outcome.ok ? (outcome.result.firstByteMs ?? null) : null);
  if (otherAttempt && raced.other) {
    emitAttempt(ctx, jobId, record, otherAttempt, {
      recorded: wrote,
      firstByteMs: firstByteOf(raced.other.call),
    });
  }
  emitAttempt(ctx, jobId, record, attempt, { recorded: wrote, retryInMs, firstByteMs: firstByteOf(call) });
  // Both calls of a hedge are attempts: the stream gets each that the record holds, in number order.
  const made = (otherAttempt ? [otherAttempt, attempt] : [attempt]).sort((a, b) => a.n - b.n);
  for (const one of made) {
    if (updated?.job.attempts.some((a) => a.n === one.n && a.started_at === one.started_at))
      publish(jobId, "attempt", one);
  }

  if (shutdownAbort && updated?.job.status === "queued") {
    // Back to the queue without spending one of the job's tries: another worker takes it up.
    publish(jobId, "status", { status: "queued", tier: tier.name });
    await job.moveToWait(token);
    throw new WaitingError();
  }
  if (escalateTo && updated && updated.hop === record.hop + 1) {
    // Told before the queueing: the move is in the record, and a run after a crash here queues
    // the hop without moving the job again, so this is its only report.
    if (wrote)
      emit({
        type: "escalated",
        jobId,
        tenant: record.tenant,
        from: tier.name,
        to: escalateTo.name,
        reason: moveReason,
        cause: verdict?.kind === "escalate" ? verdict.outcome : "fallback",
      });
    deps.failpoint?.("after-escalation-recorded");
    await deps.queues.add(
      escalateTo.name,
      record.job.class,
      { job_id: jobId, hop: updated.hop },
      parentOf(job),
    );
    publish(jobId, "escalated", {
      from_tier: tier.name,
      to_tier: escalateTo.name,
      reason: moveReason,
    });
    publish(jobId, "status", { status: "queued", tier: escalateTo.name });
    return "escalated";
  }
  if (updated && TERMINAL_STATUSES.has(updated.job.status)) {
    emit(finishedEvent(jobId, updated, transitioned));
    publish(jobId, "job", updated.job);
    await settlePart(deps, updated);
    deps.failpoint?.("after-finish-recorded");
    if (deps.onFinished && updated.job.status !== "cancelled") {
      await deps.onFinished(updated).catch((error: unknown) => {
        emit({ type: "notify_failed", jobId, tenant: record.tenant, error });
      });
    }
  } else if (updated && retryInMs !== null) {
    publish(jobId, "status", { status: "queued", tier: tier.name, retry_in_ms: retryInMs });
  }
  if (call.ok) return verdict?.kind ?? "succeeded";
  if (retryInMs !== null) throw new RetryLaterError(retryInMs, call.detail);
  throw new UnrecoverableError(call.detail);
}
