import type { Attempt, Escalation, PublicJob } from "../job-record.ts";
import { confidenceText } from "../judge-answer.ts";
import type { AttemptEvents } from "./attempt-events.ts";
import { answered, causeOf, causeWords, signalWords, skipWords, usd } from "./explain-words.ts";
import type { AttemptStep } from "./explanation-schema.ts";

/** The task's escalation settings as the config has them now (the record keeps them only in words). */
export interface TaskPolicy {
  escalation: { minConfidence: number; onQualityFailure: "next" | "top"; maxEscalations: number };
  /** How the task splits a long input (`map_reduce`); absent when it does not. */
  mapReduce?: { chunkTokens: number; maxLevels: number } | undefined;
}

export interface AttemptStory {
  attempt: Attempt;
  job: PublicJob;
  events: AttemptEvents | undefined;
  /** The escalation this attempt's outcome caused, and its number (1 = the job's first). */
  escalation: { escalation: Escalation; index: number } | undefined;
  /** The job's next attempt, if any (a failed call followed by one on the same tier was retried). */
  next: Attempt | undefined;
  task: TaskPolicy | undefined;
}

// The judge's own words in an attempt's detail: the threshold it applied, and why it accepted anyway.
const APPLIED_THRESHOLD = /confidence \d+(?:\.\d+)? \([^)]*\) < (\d+(?:\.\d+)?)/;
const ACCEPTED_ANYWAY = /accepted: (.+)$/;
const NO_ROOM = /; (no tier above "[^"]*" is allowed|no escalations left)$/;

/** Every step of one attempt: skipped deployments, the call, slowness, checks, confidence, retry, escalation. */
export function explainAttempt(story: AttemptStory): AttemptStep[] {
  const { attempt, events } = story;
  const n = attempt.n;
  const steps: AttemptStep[] = [];
  for (const skip of events?.skipped ?? []) {
    steps.push({
      at: skip.at,
      kind: "deployment_skipped",
      attempt: n,
      deployment: skip.deployment,
      reason: skip.reason,
      text: `skipped deployment ${skip.deployment} without a call: ${skipWords(skip.reason)}`,
    });
  }
  steps.push(attemptStep(story));
  for (const slow of events?.slow ?? []) {
    steps.push({
      at: slow.at,
      kind: "slow",
      attempt: n,
      deployment: slow.deployment,
      elapsed_ms: slow.elapsedMs,
      soft_limit_ms: slow.softLimitMs,
      text: `no answer from ${slow.deployment} after ${slow.elapsedMs} ms: past the soft limit of ${slow.softLimitMs} ms`,
    });
  }
  if (answered(attempt)) steps.push(checksStep(story), confidenceStep(story));
  const retry = retryStep(story);
  if (retry) steps.push(retry);
  if (story.escalation) steps.push(escalationStep(story, story.escalation));
  return steps;
}

function attemptStep({ attempt, job }: AttemptStory): AttemptStep {
  const who = `${attempt.provider} ${attempt.model} (deployment ${attempt.deployment})`;
  const tokens = `${attempt.usage.input_tokens} input + ${attempt.usage.output_tokens} output tokens`;
  let text = `attempt ${attempt.n} on tier "${attempt.tier}": ${who} → ${attempt.outcome} after ${attempt.latency_ms} ms, ${tokens}, ${usd(attempt.cost_usd)}`;
  // A judged answer's verdict gets its own steps; a failed call's detail is the provider's error.
  if (!answered(attempt)) text += ` — ${attempt.detail}`;
  if (job.status === "cancelled" && job.finished_at !== null && attempt.finished_at > job.finished_at) {
    text += "; the call finished after the job was cancelled: its answer was discarded, its cost counts";
  }
  return {
    at: attempt.started_at,
    kind: "attempt",
    n: attempt.n,
    tier: attempt.tier,
    provider: attempt.provider,
    model: attempt.model,
    deployment: attempt.deployment,
    outcome: attempt.outcome,
    latency_ms: attempt.latency_ms,
    input_tokens: attempt.usage.input_tokens,
    output_tokens: attempt.usage.output_tokens,
    cost_usd: attempt.cost_usd,
    detail: attempt.detail,
    text,
  };
}

function checksStep({ attempt, job, escalation, task }: AttemptStory): AttemptStep {
  const failed = attempt.checks.filter((check) => !check.passed);
  const passed = attempt.checks.filter((check) => check.passed).map((check) => check.name);
  let text: string;
  if (attempt.checks.length === 0) {
    text = `no quality checks configured for task "${job.task}"`;
  } else if (failed.length === 0) {
    text = `quality checks passed: ${passed.join(", ")}`;
  } else {
    const what = failed.map((check) => `check ${check.name} failed (${check.reason})`).join(", ");
    const rule = task ? `on_quality_failure "${task.escalation.onQualityFailure}": ` : "";
    const then = escalation
      ? `→ ${rule}escalate ${escalation.escalation.from_tier} → ${escalation.escalation.to_tier}`
      : `→ ${NO_ROOM.exec(attempt.detail)?.[1] ?? "no higher tier allowed"}: the answer is not accepted`;
    text = `${what}${passed.length > 0 ? `; passed: ${passed.join(", ")}` : ""} ${then}`;
  }
  return {
    at: attempt.finished_at,
    kind: "checks",
    attempt: attempt.n,
    checks: attempt.checks,
    failed: failed.map((check) => check.name),
    text,
  };
}

function confidenceStep({ attempt, job, escalation, task }: AttemptStory): AttemptStep {
  const value = attempt.confidence ?? 0;
  const signal = attempt.confidence_signal ?? "unknown";
  const applied = APPLIED_THRESHOLD.exec(attempt.detail)?.[1];
  const threshold = applied === undefined ? (task?.escalation.minConfidence ?? null) : Number(applied);
  const shown = `confidence ${confidenceText(value, threshold)} (${signalWords(signal)})`;
  const against = threshold === null ? "" : ` min_confidence ${threshold} for task "${job.task}"`;
  let decision: "accepted" | "escalate" | "accepted_at_limit" | "not_compared";
  let text: string;
  if (attempt.checks.some((check) => !check.passed)) {
    decision = "not_compared";
    text = `${shown} not compared with${against || " min_confidence"}: a failed check decides first`;
  } else if (attempt.outcome === "low_confidence") {
    decision = "escalate";
    const move = escalation
      ? `escalate ${escalation.escalation.from_tier} → ${escalation.escalation.to_tier}`
      : "escalate";
    text = `${shown} <${against} → ${move}`;
  } else if (threshold !== null && value < threshold) {
    decision = "accepted_at_limit";
    const why = ACCEPTED_ANYWAY.exec(attempt.detail)?.[1] ?? "no higher tier allowed";
    text = `${shown} <${against}, accepted anyway: ${why}`;
  } else {
    decision = "accepted";
    text = threshold === null ? `${shown} → accepted` : `${shown} ≥${against} → accepted`;
  }
  const detail = attempt.confidence_detail ?? null;
  if (detail) text += `; what drove it: ${detail}`;
  return {
    at: attempt.finished_at,
    kind: "confidence",
    attempt: attempt.n,
    value,
    signal,
    detail,
    min_confidence: threshold,
    decision,
    text,
  };
}

/** A failed call followed by another on the same tier (no escalation between) was retried. */
function retryStep({ attempt, events, escalation, next }: AttemptStory): AttemptStep | undefined {
  if (answered(attempt) || escalation || attempt.outcome === "cancelled") return undefined;
  const retry = events?.retry;
  if (!retry && next?.tier !== attempt.tier) return undefined;
  const when = retry ? ` in ${retry.retryInMs} ms` : "";
  return {
    at: retry?.at ?? attempt.finished_at,
    kind: "retry",
    attempt: attempt.n,
    tier: attempt.tier,
    retry_in_ms: retry?.retryInMs ?? null,
    text: `${attempt.outcome} is retryable → next try on tier "${attempt.tier}"${when}, starting at the tier's next deployment`,
  };
}

function escalationStep(
  { attempt, task }: AttemptStory,
  { escalation, index }: { escalation: Escalation; index: number },
): AttemptStep {
  const cause = causeOf(attempt);
  const verb = cause === "fallback" ? "fell back" : "escalated";
  const budget = task ? ` of max_escalations ${task.escalation.maxEscalations}` : "";
  return {
    at: escalation.at,
    kind: "escalated",
    attempt: attempt.n,
    from_tier: escalation.from_tier,
    to_tier: escalation.to_tier,
    cause,
    reason: escalation.reason,
    text: `${verb} "${escalation.from_tier}" → "${escalation.to_tier}" (cause: ${causeWords(cause)}; escalation ${index}${budget}): ${escalation.reason}`,
  };
}
