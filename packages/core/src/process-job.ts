import { contextFromMetadata, inSpan } from "@llmr/tracing";
import type { Span } from "@opentelemetry/api";
import { SpanKind } from "@opentelemetry/api";
import type { Job } from "bullmq";
import { isRunFailure, tracer } from "./job-tracing.ts";
import { callAttempts, judgeCall } from "./processor/call-attempts.ts";
import { checkRun } from "./processor/check-run.ts";
import { chooseDeployment } from "./processor/choose-deployment.ts";
import { finishRun } from "./processor/finish-run.ts";
import { nextStep } from "./processor/next-step.ts";
import { prepareRun } from "./processor/prepare-run.ts";
import { createProcessorContext } from "./processor/processor-context.ts";
import type { ProcessorDeps } from "./processor/processor-deps.ts";
import { runCall } from "./processor/run-call.ts";
import { startCall } from "./processor/start-call.ts";

export type { Failpoint, ProcessorDeps } from "./processor/processor-deps.ts";
export type { EscalationCause, ProcessorEvent } from "./processor/processor-event.ts";

/**
 * The BullMQ processor of every tier queue: one run = one provider call = one attempt in the
 * job's history. The answer is judged (quality checks, confidence) and accepted, escalated to a
 * higher tier (a new BullMQ job under the same public id) or failed. Retryable call failures throw
 * `RetryLaterError` (BullMQ runs the job again, on the tier's next deployment); fatal ones and the
 * last allowed try end the job `failed`.
 */
export function createJobProcessor(deps: ProcessorDeps) {
  const ctx = createProcessorContext(deps);

  const run = async (job: Job, span: Span, token?: string, jobSignal?: AbortSignal): Promise<string> => {
    // Before anything is called: the payload, the record, its hop, its batch, its deadline.
    const check = await checkRun(ctx, job, span);
    if (check.kind === "stop") return check.outcome;
    const { jobId, record, deadlineAt } = check;
    // The task and tier, a long input's parts first, the tier's deployments.
    const plan = await prepareRun(ctx, job, token, jobId, record);
    // A deployment that can take the call now (or the job waits, or fails no_capacity).
    const chosen = await chooseDeployment(ctx, job, token, jobId, record, plan);
    // The job is running with its call in flight (unless it was cancelled meanwhile).
    const start = await startCall(ctx, job, jobId, record, plan.tier, chosen.selection);
    if (start.kind === "stop") return start.outcome;
    // The call, hedged when the tier says so; then what its answer is worth.
    const callRun = await runCall(ctx, jobId, record, plan, chosen, deadlineAt, start.startedAt, jobSignal);
    const { judgement, outputJson } = await judgeCall(ctx, record, plan, callRun);
    const attempts = callAttempts(start.running, plan.tier, callRun, judgement);
    const verdict = judgement?.verdict;
    const next = nextStep(deps.config, job, record, plan, callRun, verdict);
    // Into the record, and on: back to the queue, up a tier, finished, or retried.
    return finishRun(ctx, {
      job,
      token,
      jobId,
      record,
      tier: plan.tier,
      callRun,
      attempts,
      verdict,
      outputJson,
      next,
    });
  };

  // One `llmr.process` span per run, continuing the trace the job was queued under (its submission,
  // or the run that escalated it), so a job's hops, retries and calls form one trace.
  return function processJob(job: Job, token?: string, jobSignal?: AbortSignal): Promise<string> {
    return inSpan(
      tracer,
      "llmr.process",
      {
        kind: SpanKind.CONSUMER,
        parent: contextFromMetadata(job.opts.telemetry?.metadata),
        attributes: {
          "messaging.system": "bullmq",
          "messaging.destination.name": job.queueName,
          "messaging.message.id": job.id ?? "",
          "llmr.bullmq.attempt": job.attemptsMade + 1,
        },
        isFailure: isRunFailure,
      },
      async (span) => {
        const outcome = await run(job, span, token, jobSignal);
        span.setAttribute("llmr.process.outcome", outcome);
        return outcome;
      },
    );
  };
}
