import type { ResolvedDeployment, ResolvedTier } from "@llmr/config";
import type { Attempt, InFlightCall, PublicJob } from "./job-record.ts";

/** The job once an answer was accepted: the result, taken from the call and its attempt. */
export function succeededJob(
  job: PublicJob,
  result: {
    text: string;
    model: string;
    finishReason: string;
    usage: { inputTokens: number; outputTokens: number };
  },
  tier: ResolvedTier,
  deployment: ResolvedDeployment,
  finishedAt: Date,
  outputJson: unknown,
  attempt: Attempt,
): PublicJob {
  return {
    ...job,
    status: "succeeded",
    finished_at: finishedAt.toISOString(),
    error: null,
    result: {
      output_text: result.text,
      output_json: outputJson,
      provider: deployment.provider.label,
      model: result.model,
      tier: tier.name,
      finish_reason: result.finishReason,
      confidence: attempt.confidence,
      confidence_signal: attempt.confidence_signal,
      usage: { input_tokens: result.usage.inputTokens, output_tokens: result.usage.outputTokens },
    },
  };
}

/** The attempt of a call whose worker died before recording it (crash, SIGKILL, lost lock). */
export function interruptedAttempt(call: InFlightCall, n: number, now: Date): Attempt {
  return {
    n,
    tier: call.tier,
    provider: call.provider,
    model: call.model,
    deployment: call.deployment,
    outcome: "error",
    detail:
      "the worker running this call stopped before it finished (crash, kill or lost lock); the job was taken up again. " +
      "Usage and cost are unknown: the provider may have billed this call.",
    latency_ms: Math.max(0, now.getTime() - Date.parse(call.started_at)),
    usage: { input_tokens: 0, output_tokens: 0 },
    cost_usd: 0,
    confidence: null,
    confidence_signal: null,
    checks: [],
    output_text: null,
    started_at: call.started_at,
    finished_at: now.toISOString(),
  };
}
