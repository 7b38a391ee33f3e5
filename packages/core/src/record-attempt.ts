import type { ResolvedDeployment, ResolvedTier } from "@llmr/config";
import type { CallOutcome } from "./call-provider.ts";
import { sumCostUsd } from "./cost.ts";
import type { Attempt, JobRecord, PublicJob } from "./job-record.ts";
import { TERMINAL_STATUSES } from "./job-record.ts";
import { succeededJob } from "./job-transitions.ts";
import type { Verdict } from "./judge-answer.ts";

/** Everything that decides what one finished call does to its job's record. */
export interface AttemptContext {
  /** The hop the call ran on: a record that moved on since is left alone. */
  hop: number;
  attempt: Attempt;
  /** A hedge's other call, recorded too (its cost counts). */
  otherAttempt: Attempt | undefined;
  call: CallOutcome;
  verdict: Verdict | undefined;
  /** The worker shut down and aborted the call: the job goes back to the queue. */
  shutdownAbort: boolean;
  /** Escalation (a judged answer) or fallback (every try on the tier failed): the next tier and why. */
  moveTo: { tier: ResolvedTier; reason: string } | undefined;
  /** BullMQ will run the job again on this tier. */
  retrying: boolean;
  tier: ResolvedTier;
  deployment: ResolvedDeployment;
  finishedAt: Date;
  outputJson: unknown;
}

/**
 * The job's record after one call: the attempt joins the history (and its cost the total), and
 * the job succeeds, moves to another tier (a new hop), waits for a retry, goes back to the queue,
 * or fails with the reason. Pure: the caller stores the result compare-and-set, re-applying it
 * to a fresh read when someone else wrote in between. Undefined leaves the record as it is.
 */
export function recordAttempt(current: JobRecord, ctx: AttemptContext): JobRecord | undefined {
  const { call, verdict } = ctx;
  // Cancelled while the call ran: keep the status, but the attempt (and its cost) joins the history.
  if (current.job.status === "cancelled" && current.hop === ctx.hop) {
    const attempts = appendAttempts(current, ctx);
    return {
      ...current,
      job: { ...current.job, attempts, cost_usd: sumCostUsd(attempts.map((a) => a.cost_usd)) },
    };
  }
  // Finished, or moved on by another run of this hop: leave the record as it is.
  if (TERMINAL_STATUSES.has(current.job.status) || current.hop !== ctx.hop) return undefined;
  const attempts = appendAttempts(current, ctx);
  if (ctx.shutdownAbort) {
    return {
      ...current,
      job: {
        ...current.job,
        attempts,
        status: "queued",
        cost_usd: sumCostUsd(attempts.map((a) => a.cost_usd)),
      },
    };
  }
  const base: PublicJob = {
    ...current.job,
    attempts,
    tier: ctx.tier.name,
    cost_usd: sumCostUsd(attempts.map((a) => a.cost_usd)),
  };
  if (call.ok && verdict?.kind === "accept") {
    return {
      ...current,
      job: succeededJob(
        base,
        call.result,
        ctx.tier,
        ctx.deployment,
        ctx.finishedAt,
        ctx.outputJson,
        ctx.attempt,
      ),
    };
  }
  if (ctx.moveTo) {
    const escalation = {
      from_tier: ctx.tier.name,
      to_tier: ctx.moveTo.tier.name,
      reason: ctx.moveTo.reason,
      at: ctx.finishedAt.toISOString(),
    };
    return {
      ...current,
      hop: current.hop + 1,
      job: {
        ...base,
        status: "queued",
        tier: ctx.moveTo.tier.name,
        routing: { ...base.routing, escalations: [...base.routing.escalations, escalation] },
      },
    };
  }
  if (call.ok && verdict?.kind === "fail") {
    return {
      ...current,
      job: { ...base, status: "failed", error: verdict.error, finished_at: ctx.finishedAt.toISOString() },
    };
  }
  if (ctx.retrying) return { ...current, job: { ...base, status: "queued" } };
  const detail = call.ok ? "" : call.detail;
  const error =
    !call.ok && call.retryable
      ? { type: "attempts_exhausted", message: `all ${attempts.length} attempts failed; last: ${detail}` }
      : { type: "provider_error", message: detail };
  return { ...current, job: { ...base, status: "failed", error, finished_at: ctx.finishedAt.toISOString() } };
}

function appendAttempts(current: JobRecord, ctx: AttemptContext): Attempt[] {
  const added = ctx.otherAttempt ? [ctx.otherAttempt, ctx.attempt].sort((a, b) => a.n - b.n) : [ctx.attempt];
  return [...current.job.attempts, ...added];
}
