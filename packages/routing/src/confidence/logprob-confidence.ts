import type { Confidence } from "./confidence-types.ts";

/** Share of the answer's tokens, the least probable ones, that make up its weakest part. */
const weakestShare = 0.1;

/**
 * Confidence from token log probabilities: the geometric mean token probability, blended with the
 * mean probability of the weakest 10% of tokens (at least one), two parts to one:
 * `value = gm^(2/3) × weakest^(1/3)`.
 *
 * Why not the geometric mean alone: it is an average over the whole answer, so a long answer of
 * near-certain filler ("The answer is …") hides the one token that carried the answer, even when
 * that token was a coin flip (0.99, 0.99, 0.5 → gm 0.79). Why not the weakest tokens alone: free
 * text always has a few low-probability word choices that change nothing, and the minimum would
 * escalate most long answers. The blend keeps a fluent answer high (gm 0.95, weakest 0.6 → 0.82)
 * and pulls a shaky key token down (0.79, 0.5 → 0.68). Undefined for an empty list.
 */
export function logprobConfidence(
  logprobs: ReadonlyArray<{ token: string; logprob: number }>,
): Confidence | undefined {
  const values: number[] = [];
  for (const { logprob } of logprobs) {
    // Providers round: a tiny positive logprob is certainty; NaN carries no information.
    if (!Number.isNaN(logprob)) values.push(Math.min(0, logprob));
  }
  if (values.length === 0) return undefined;
  let sum = 0;
  for (const value of values) sum += value;
  const geometricMean = Math.exp(sum / values.length);

  values.sort((a, b) => a - b);
  const weakestCount = Math.max(1, Math.ceil(values.length * weakestShare));
  let weakestSum = 0;
  for (let i = 0; i < weakestCount; i++) weakestSum += Math.exp(values[i] ?? 0);
  const weakest = weakestSum / weakestCount;

  const value = clamp01(geometricMean ** (2 / 3) * weakest ** (1 / 3));
  return {
    value,
    signal: "logprobs",
    detail:
      `geometric mean token probability ${geometricMean.toFixed(2)} over ${values.length} tokens; ` +
      `weakest ${weakestCount} ${weakestCount === 1 ? "token" : "tokens"} average ${weakest.toFixed(2)}`,
  };
}

export function clamp01(value: number): number {
  if (Number.isNaN(value)) return 0;
  return Math.min(1, Math.max(0, value));
}
