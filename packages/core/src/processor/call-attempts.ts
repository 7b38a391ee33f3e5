import type { ResolvedDeployment, ResolvedTier } from "@llmr/config";
import { parseOutputJson } from "../build-completion-request.ts";
import { attemptCostUsd } from "../cost.ts";
import type { FinishedCall } from "../hedged-call.ts";
import type { Attempt, JobRecord } from "../job-record.ts";
import type { Judgement } from "../judge-answer.ts";
import { judgeAnswer } from "../judge-answer.ts";
import type { RunPlan } from "./prepare-run.ts";
import type { ProcessorContext } from "./processor-context.ts";
import type { CallRun } from "./run-call.ts";

/** An answered call's judgement (undefined for a failed call) and its JSON output, if one was asked for. */
export interface JudgedCall {
  judgement: Judgement | undefined;
  outputJson: unknown;
}

/** Judges a successful call's answer (quality checks, confidence) against the job's task and tier. */
export async function judgeCall(
  ctx: ProcessorContext,
  record: JobRecord,
  plan: RunPlan,
  callRun: CallRun,
): Promise<JudgedCall> {
  const { deps, registryFor } = ctx;
  const { task, tier, working } = plan;
  const { call, built } = callRun;
  let judgement: Judgement | undefined;
  let outputJson: unknown = null;
  const wantsJson = (record.request.response_format?.type ?? "text") !== "text";
  if (call.ok) {
    const rawJson = wantsJson ? parseOutputJson(call.result.text, false) : null;
    outputJson = wantsJson ? parseOutputJson(call.result.text, built.asksSelfReport) : null;
    judgement = await judgeAnswer({
      config: deps.config,
      task,
      tier,
      record: working,
      result: call.result,
      rawJson,
      outputJson,
      asksSelfReport: built.asksSelfReport,
      registry: await registryFor(task),
    });
  }
  return { judgement, outputJson };
}

/** The attempts a run adds to the job's history: its call's and, with a hedge, the other call's. */
export interface CallAttempts {
  attempt: Attempt;
  otherAttempt: Attempt | undefined;
}

/** Builds the run's attempt(s), numbered after the ones `running` holds, in the order the calls started. */
export function callAttempts(
  running: JobRecord,
  tier: ResolvedTier,
  callRun: CallRun,
  judgement: Judgement | undefined,
): CallAttempts {
  const { raced, deployment, call, callStartedAt, finishedAt, shutdownAbort } = callRun;
  const usage = call.ok
    ? { input_tokens: call.result.usage.inputTokens, output_tokens: call.result.usage.outputTokens }
    : { input_tokens: 0, output_tokens: 0 };
  const verdict = judgement?.verdict;
  const attemptsBefore = running.job.attempts.length;
  // With a hedge, both calls are attempts, numbered in the order they started.
  const otherFirst = raced.other !== undefined && raced.other.startedAt <= callStartedAt;
  const otherAttempt = raced.other
    ? hedgeAttempt(raced.other, attemptsBefore + (otherFirst ? 1 : 2), tier, deployment)
    : undefined;
  const attempt: Attempt = {
    n: attemptsBefore + (otherFirst ? 2 : 1),
    tier: tier.name,
    provider: deployment.provider.label,
    model: call.ok ? call.result.model : deployment.model.modelId,
    deployment: deployment.id,
    outcome: call.ok ? (verdict?.outcome ?? "succeeded") : shutdownAbort ? "error" : call.outcome,
    detail: shutdownAbort
      ? "aborted: the worker shut down during the call; the job went back to the queue"
      : call.ok
        ? `answered in ${finishedAt.getTime() - callStartedAt.getTime()} ms${raced.other ? " (hedged)" : ""}; ${verdict?.detail ?? ""}`
        : call.detail,
    latency_ms: finishedAt.getTime() - callStartedAt.getTime(),
    usage,
    cost_usd: attemptCostUsd(usage, deployment.model.pricePerMTokUsd),
    confidence: judgement ? round4(judgement.confidence.value) : null,
    confidence_signal: judgement?.confidence.signal ?? null,
    confidence_detail: judgement?.confidence.detail ?? null,
    checks: judgement?.checks ?? [],
    output_text: call.ok && verdict?.kind !== "accept" ? call.result.text : null,
    started_at: callStartedAt.toISOString(),
    finished_at: finishedAt.toISOString(),
  };
  return { attempt, otherAttempt };
}

function round4(value: number): number {
  return Number(value.toFixed(4));
}

/** The attempt of a hedge's other call: aborted after losing the race, or failed on its own. */
function hedgeAttempt(
  other: FinishedCall,
  n: number,
  tier: ResolvedTier,
  winner: ResolvedDeployment,
): Attempt {
  const { call, deployment } = other;
  const usage = call.ok
    ? { input_tokens: call.result.usage.inputTokens, output_tokens: call.result.usage.outputTokens }
    : { input_tokens: 0, output_tokens: 0 };
  const lost = call.ok || call.outcome === "cancelled";
  return {
    n,
    tier: tier.name,
    provider: deployment.provider.label,
    model: call.ok ? call.result.model : deployment.model.modelId,
    deployment: deployment.id,
    outcome: lost ? "cancelled" : call.outcome,
    detail: lost ? `hedged: ${winner.id} answered first, this call was aborted` : call.detail,
    latency_ms: other.finishedAt.getTime() - other.startedAt.getTime(),
    usage,
    cost_usd: attemptCostUsd(usage, deployment.model.pricePerMTokUsd),
    confidence: null,
    confidence_signal: null,
    checks: [],
    output_text: null,
    started_at: other.startedAt.toISOString(),
    finished_at: other.finishedAt.toISOString(),
  };
}
