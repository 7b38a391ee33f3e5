import type { Confidence, ConfidenceInput } from "./confidence-types.ts";
import { findHedges, HEDGE_WEIGHTS } from "./hedging-phrases.ts";
import { clamp01 } from "./logprob-confidence.ts";
import { workedAnswerDoubts } from "./worked-answer.ts";

/**
 * A plain answer's confidence when nothing better is known. Below 1 on purpose: text heuristics
 * only ever find reasons to doubt, never proof of being right.
 */
export const PLAIN_ANSWER_CONFIDENCE = 0.9;

/** Up to this many output tokens, medium and weak hedges count fully; beyond, by √(this / tokens). */
const fullWeightAnswerTokens = 200;
/** A phrase repeated more often than this adds nothing more (a verbose style is not extra doubt). */
const maxCountedRepeats = 2;
/** Without an expected length, an answer shorter than this many tokens is "very short". */
const veryShortAnswerTokens = 3;

/**
 * Confidence from the answer's text alone: starts at {@link PLAIN_ANSWER_CONFIDENCE} and multiplies
 * in a factor per reason to doubt, so every value stays in [0, 0.9]:
 * - hedging phrases (see `hedging-phrases.ts`): combined like independent doubts,
 *   `1 − Π(1 − weight)` per occurrence (at most 2 per phrase); medium and weak hedges weigh less
 *   in answers longer than 200 tokens;
 * - length against the task's `expected_output_tokens`: short of `min` by a share s → × (1 − 0.4 s);
 *   over `max` by a share s (capped at 1) → × (1 − 0.25 s);
 * - without an expected length, an answer under 3 tokens → × 0.85;
 * - for a worked numeric answer (see `worked-answer.ts`): a final answer no step produced → × 0.5;
 *   each share s of the question's quantities left unused → × (1 − 0.35 s); a fractional count → × 0.85;
 * - `finish_reason` length (cut off) → × 0.6; content_filter or refusal → × 0.3.
 * An empty answer is 0.
 */
export function heuristicConfidence(input: ConfidenceInput): Confidence {
  if (input.text.trim().length === 0) {
    return { value: 0, signal: "heuristic", detail: "empty answer" };
  }
  const outputTokens = Math.max(1, input.outputTokens);
  const reasons: string[] = [];
  let value = PLAIN_ANSWER_CONFIDENCE;

  const hits = findHedges(input.text);
  if (hits.length > 0) {
    const dilution = Math.min(1, Math.sqrt(fullWeightAnswerTokens / outputTokens));
    let keep = 1;
    for (const { phrase, count } of hits) {
      const weight = HEDGE_WEIGHTS[phrase.strength] * (phrase.strength === "strong" ? 1 : dilution);
      keep *= (1 - weight) ** Math.min(count, maxCountedRepeats);
    }
    value *= keep;
    const total = hits.reduce((sum, hit) => sum + hit.count, 0);
    const labels = hits.map((hit) => `"${hit.phrase.label}"${hit.count > 1 ? ` ×${hit.count}` : ""}`);
    reasons.push(`${total} hedging ${total === 1 ? "phrase" : "phrases"}: ${labels.join(", ")}`);
  }

  const expected = input.expectedOutputTokens;
  if (expected !== undefined && outputTokens < expected.min) {
    value *= 1 - 0.4 * (1 - outputTokens / expected.min);
    reasons.push(`${outputTokens} output tokens, fewer than the expected ${expected.min}`);
  } else if (expected !== undefined && outputTokens > expected.max) {
    value *= 1 - 0.25 * Math.min(1, (outputTokens - expected.max) / expected.max);
    reasons.push(`${outputTokens} output tokens, more than the expected ${expected.max}`);
  } else if (expected === undefined && outputTokens < veryShortAnswerTokens) {
    value *= 0.85;
    reasons.push(`a very short answer (${outputTokens} ${outputTokens === 1 ? "token" : "tokens"})`);
  }

  const worked = input.question === undefined ? undefined : workedAnswerDoubts(input.question, input.text);
  if (worked && worked.factor < 1) {
    value *= worked.factor;
    reasons.push(...worked.reasons);
  }

  if (input.finishReason === "length") {
    value *= 0.6;
    reasons.push("cut off at the output token limit");
  } else if (input.finishReason === "content_filter" || input.finishReason === "refusal") {
    value *= 0.3;
    reasons.push(`stopped by ${input.finishReason.replace("_", " ")}`);
  }

  const detail = reasons.length > 0 ? reasons.join("; ") : "a plain answer: no hedging, nothing unusual";
  return { value: clamp01(value), signal: "heuristic", detail };
}
