import type { Attempt } from "../job-record.ts";
import type { EscalationCause } from "./explanation-schema.ts";

/** The words of a job's explanation: amounts, signals and reasons as an operator reads them. */

/** USD with every significant digit a cost has (costs are kept to 1e-10), no float noise: `$0.0000258`. */
export function usd(value: number): string {
  if (value === 0) return "$0";
  const fixed = value.toFixed(10).replace(/0+$/, "").replace(/\.$/, "");
  return `$${fixed}`;
}

export function plural(count: number, one: string, many = `${one}s`): string {
  return `${count} ${count === 1 ? one : many}`;
}

/** How the confidence was measured (`ConfidenceSignal` of `@llmr/routing`). */
export function signalWords(signal: string): string {
  switch (signal) {
    case "self_reported":
      return "self-reported";
    case "logprobs":
      return "token logprobs";
    case "heuristic":
      return "text heuristics";
    default:
      return signal;
  }
}

/** Why a deployment was passed over without a call (`DeploymentSkip` of the dispatcher). */
export function skipWords(reason: string): string {
  switch (reason) {
    case "circuit_open":
      return "its circuit breaker is open";
    case "circuit_half_open":
      return "its circuit breaker is half-open and its one probe call is out";
    case "cooling_down":
      return "it is cooling down after a 429 (the provider's retry-after)";
    case "rpm":
      return "its shared requests-per-minute budget is spent";
    case "tpm":
      return "its shared tokens-per-minute budget is spent";
    case "interactive_reserve":
      return "what is left of its budget is reserved for interactive jobs";
    case "too_large":
      return "the call needs more tokens than its whole TPM budget";
    default:
      return reason;
  }
}

/** Why the job moved up, as the escalation's cause. */
export function causeWords(cause: EscalationCause): string {
  switch (cause) {
    case "low_confidence":
      return "low confidence";
    case "quality_failed":
      return "quality check failed";
    case "fallback":
      return "fallback after every try on the tier failed";
  }
}

/**
 * What an escalation's cause was, from the attempt that moved the job: its judged outcome
 * (low confidence, failed check), or a failed call (every try on the tier failed: a fallback).
 */
export function causeOf(attempt: Attempt | undefined): EscalationCause {
  if (attempt?.outcome === "low_confidence") return "low_confidence";
  if (attempt?.outcome === "quality_failed") return "quality_failed";
  return "fallback";
}

/** A failed job's error type, with what it means for the operator. */
export function errorHint(type: string): string {
  switch (type) {
    case "provider_error":
      return "a fatal provider error (400, 401, 403, 404, 422) is not retried";
    case "attempts_exhausted":
      return "every try failed with retryable errors and no fallback tier was left";
    case "quality_check_failed":
      return "the answer failed a quality check and no higher tier was allowed";
    case "deadline_exceeded":
      return "the job's overall deadline (jobs.deadline_s of its class) passed before it finished";
    case "no_capacity":
      return "no deployment of the tier can ever take this call";
    case "chunk_failed":
      return "one part of the split input failed for good (its steps are above), so the other parts were stopped and nothing was combined";
    default:
      return "";
  }
}

/** True when the call gave an answer that was judged (confidence and checks); false for a failed call. */
export function answered(attempt: Attempt): boolean {
  return attempt.confidence !== null;
}

/** The time of a Redis stream entry id (`<ms>-<seq>`), ISO-8601. */
export function streamIdTime(id: string): string {
  return new Date(Number(id.split("-")[0])).toISOString();
}
