import type { ResolvedTier } from "@llmr/config";
import type { Job } from "bullmq";
import type { Attempt, InFlightCall, JobRecord } from "../job-record.ts";
import { TERMINAL_STATUSES } from "../job-record.ts";
import { interruptedAttempt } from "../job-transitions.ts";
import { settlePart } from "../map-reduce/merge-part.ts";
import type { ChosenDeployment } from "./choose-deployment.ts";
import type { ProcessorContext } from "./processor-context.ts";
import { emitAttempt } from "./processor-context.ts";

/** Whether the call may start (the job is `running` on its chosen deployment), or why the run ended. */
export type CallStart =
  | { kind: "stop"; outcome: string }
  | {
      kind: "go";
      /** When the call started (the in-flight marker's `started_at`). */
      startedAt: Date;
      /** The record as this run's start wrote it. */
      running: JobRecord;
    };

/**
 * Marks the job `running` with its call in flight, recording the call of a worker that died
 * mid-call as an interrupted attempt; a job cancelled (or moved on) since the run's first read
 * makes no call. Then reports the start (`started`, and the job's `running` status).
 */
export async function startCall(
  ctx: ProcessorContext,
  job: Job,
  jobId: string,
  record: JobRecord,
  tier: ResolvedTier,
  selection: ChosenDeployment["selection"],
): Promise<CallStart> {
  const { deps, emit, now, publish } = ctx;
  const deployment = selection.deployment;
  const jobClass = record.job.class;
  const startedAt = now();
  const inFlight: InFlightCall = {
    tier: tier.name,
    deployment: deployment.id,
    provider: deployment.provider.label,
    model: deployment.model.modelId,
    started_at: startedAt.toISOString(),
  };
  // The attempt of a call cut off by a dead worker, when this run's write is the one recording it.
  let interrupted: Attempt | undefined;
  const running = await deps.store.update(jobId, (current) => {
    interrupted = undefined;
    if (TERMINAL_STATUSES.has(current.job.status) || current.hop !== record.hop) return undefined;
    interrupted = current.in_flight
      ? interruptedAttempt(current.in_flight, current.job.attempts.length + 1, startedAt)
      : undefined;
    const attempts = interrupted ? [...current.job.attempts, interrupted] : current.job.attempts;
    return {
      ...current,
      in_flight: inFlight,
      job: {
        ...current.job,
        attempts,
        status: "running",
        started_at: current.job.started_at ?? startedAt.toISOString(),
      },
    };
  });
  const lost: Attempt | undefined = interrupted;
  if (lost) emitAttempt(ctx, jobId, record, lost, { recorded: true, interrupted: true });
  if (!running || TERMINAL_STATUSES.has(running.job.status) || running.hop !== record.hop) {
    // Cancelled (or moved on) between this run's first read and now: no call. A part's job
    // learns of it (its cancelled part is its to see).
    if (running) await settlePart(deps, running);
    emit({ type: "skipped", jobId, reason: `${running ? running.job.status : "gone"} before its call` });
    return { kind: "stop", outcome: "skipped" };
  }
  emit({
    type: "started",
    jobId,
    tenant: record.tenant,
    tier: tier.name,
    deployment: deployment.id,
    jobClass,
    task: record.job.task,
    // The hop's first try (not a retry, nor a run after a crash): the time its BullMQ job waited.
    queueWaitMs:
      job.attemptsMade === 0 && !record.in_flight ? Math.max(0, startedAt.getTime() - job.timestamp) : null,
  });
  publish(jobId, "status", {
    status: "running",
    tier: tier.name,
    deployment: deployment.id,
    // Deployments passed over for this call (breaker open, budget spent), for the job's explanation.
    ...(selection.skips.length > 0 ? { skipped: selection.skips } : {}),
  });
  return { kind: "go", startedAt, running };
}
