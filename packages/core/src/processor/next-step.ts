import type { ResolvedTier, RouterConfig } from "@llmr/config";
import type { Job } from "bullmq";
import { escalationTarget } from "../escalation-target.ts";
import type { JobRecord } from "../job-record.ts";
import type { Verdict } from "../judge-answer.ts";
import { retryDelayMs } from "../retry-delay.ts";
import type { RunPlan } from "./prepare-run.ts";
import type { CallRun } from "./run-call.ts";

/** Where the job goes after this run's call, besides what the verdict says. */
export interface NextStep {
  /** BullMQ runs the job again on this tier after this long (null: no retry on this tier). */
  retryInMs: number | null;
  /** The tier the job moves up to: the verdict's escalation, or the fallback after every try failed. */
  escalateTo: ResolvedTier | undefined;
  /** Why it moves (the verdict's detail, or the tries that failed). */
  moveReason: string;
}

/**
 * Decides a failed or judged call's next step: a retryable failure with tries left retries on the
 * tier (after a delay), the last one falls back to the next tier when the config and the job's
 * escalation budget allow; a verdict of `escalate` moves the job to its tier.
 */
export function nextStep(
  config: RouterConfig,
  job: Job,
  record: JobRecord,
  plan: RunPlan,
  callRun: CallRun,
  verdict: Verdict | undefined,
): NextStep {
  const { task, tier, deployments } = plan;
  const { call, deployment } = callRun;
  let retryInMs: number | null = null;
  const lastTry = job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
  if (!call.ok && call.retryable && !lastTry) {
    const nextDeployment = deployments[(job.attemptsMade + 1) % deployments.length];
    retryInMs = retryDelayMs({
      retriesSoFar: job.attemptsMade,
      retryAfterMs: call.retryAfterMs,
      sameDeploymentNext: nextDeployment === deployment,
    });
  }

  // Every try on this tier failed with retryable errors: fall back to the next tier up, if the
  // config allows it and the job's escalation budget and max_tier leave room.
  let fallbackTo: ResolvedTier | undefined;
  if (!call.ok && call.retryable && retryInMs === null && config.jobs.fallbackToNextTier) {
    const left = task.escalation.maxEscalations - record.job.routing.escalations.length;
    fallbackTo =
      left > 0
        ? escalationTarget(config, tier, record.job.routing.max_tier, record.route, "next")
        : undefined;
  }
  const escalateTo = verdict?.kind === "escalate" ? verdict.to : fallbackTo;
  const moveReason =
    verdict?.kind === "escalate"
      ? verdict.detail
      : `all ${job.attemptsMade + 1} tries on "${tier.name}" failed (last: ${call.ok ? "" : call.outcome}) → ${fallbackTo?.name}`;
  return { retryInMs, escalateTo, moveReason };
}
