import type { ResolvedTask, ResolvedTier, RouterConfig } from "@llmr/config";
import type { CompletionResult } from "@llmr/providers";
import type { CheckRegistry } from "@llmr/routing";
import { assessConfidence, runChecks } from "@llmr/routing";
import { escalationTarget } from "./escalation-target.ts";
import type { AttemptOutcome, CheckVerdict, JobError, JobRecord } from "./job-record.ts";

export type Verdict =
  | { kind: "accept"; outcome: "succeeded"; detail: string }
  | { kind: "escalate"; outcome: "low_confidence" | "quality_failed"; to: ResolvedTier; detail: string }
  | { kind: "fail"; outcome: AttemptOutcome; detail: string; error: JobError };

export interface Judgement {
  confidence: { value: number; signal: string; detail: string };
  checks: CheckVerdict[];
  verdict: Verdict;
}

/**
 * Decides what an answer is worth: the task's quality checks first (a failed check re-queues the
 * job to the capable tier: the next one or the top one, as the task says), then the confidence
 * against the task's threshold (below it: the next tier). Escalations are bounded by the task's
 * `max_escalations` and the job's `max_tier`. Out of room, a failed check fails the job
 * (`quality_check_failed`) and a low confidence is accepted, since nothing better may be asked.
 */
export async function judgeAnswer(input: {
  config: RouterConfig;
  task: ResolvedTask;
  tier: ResolvedTier;
  record: JobRecord;
  result: CompletionResult;
  /** The parsed answer as the model gave it (with a `confidence` field we may have asked for). */
  rawJson: unknown;
  /** The parsed answer as the user gets it (without that field): what the checks judge. */
  outputJson: unknown;
  asksSelfReport: boolean;
  registry: CheckRegistry;
}): Promise<Judgement> {
  const { config, task, tier, record, result } = input;
  const checks = await runChecks(
    task.checks,
    {
      text: result.text,
      finishReason: result.finishReason,
      outputJson: input.outputJson,
      usage: { inputTokens: result.usage.inputTokens, outputTokens: result.usage.outputTokens },
    },
    {
      task: task.name,
      messages: record.request.messages,
      responseFormat: record.request.response_format ?? { type: "text" },
      inputTokens: record.route.input_tokens,
    },
    input.registry,
  );
  const question = record.request.messages.findLast((message) => message.role === "user")?.content;
  const confidence = assessConfidence({
    text: result.text,
    finishReason: result.finishReason,
    outputTokens: result.usage.outputTokens,
    ...(result.logprobs ? { logprobs: result.logprobs } : {}),
    outputJson: input.rawJson,
    selfReported: input.asksSelfReport,
    ...(question === undefined ? {} : { question }),
    ...(task.expectedOutputTokens ? { expectedOutputTokens: task.expectedOutputTokens } : {}),
  });

  const escalationsLeft = task.escalation.maxEscalations - record.job.routing.escalations.length;
  const target = (direction: "next" | "top") =>
    escalationsLeft > 0
      ? escalationTarget(config, tier, record.job.routing.max_tier, record.route, direction)
      : undefined;
  const noRoom = escalationsLeft > 0 ? `no tier above "${tier.name}" is allowed` : "no escalations left";

  const failed = checks.filter((check) => !check.passed);
  if (failed.length > 0) {
    const what = failed.map((check) => `${check.name} (${check.reason})`).join(", ");
    const to = target(task.escalation.onQualityFailure);
    if (to)
      return {
        confidence,
        checks,
        verdict: { kind: "escalate", outcome: "quality_failed", to, detail: `failed ${what} → ${to.name}` },
      };
    const detail = `failed ${what}; ${noRoom}`;
    return {
      confidence,
      checks,
      verdict: {
        kind: "fail",
        outcome: "quality_failed",
        detail,
        error: { type: "quality_check_failed", message: detail },
      },
    };
  }

  const threshold = task.escalation.minConfidence;
  const shown = `${confidenceText(confidence.value, threshold)} (${confidence.signal})`;
  if (confidence.value < threshold) {
    const to = target("next");
    if (to) {
      const detail = `confidence ${shown} < ${threshold} → ${to.name}`;
      return { confidence, checks, verdict: { kind: "escalate", outcome: "low_confidence", to, detail } };
    }
    const detail = `confidence ${shown} < ${threshold}, accepted: ${noRoom}`;
    return { confidence, checks, verdict: { kind: "accept", outcome: "succeeded", detail } };
  }
  return {
    confidence,
    checks,
    verdict: { kind: "accept", outcome: "succeeded", detail: `confidence ${shown}` },
  };
}

/**
 * A confidence as people read it: two decimals, or four when two would round it onto the side of
 * `threshold` it is not on (0.4996 < 0.5 shows as 0.4996, not as "0.50 < 0.5").
 */
export function confidenceText(value: number, threshold: number | null): string {
  const short = value.toFixed(2);
  if (threshold === null) return short;
  const crosses = value < threshold ? Number(short) >= threshold : Number(short) < threshold;
  return crosses ? value.toFixed(4) : short;
}
