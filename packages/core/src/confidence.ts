import type { TokenLogprob } from "@llmr/providers";

export interface Confidence {
  value: number | null;
  signal: string | null;
}

/**
 * Confidence of an answer in [0, 1] from the best signal at hand. For now: the geometric mean of
 * the token probabilities when the provider returned logprobs; no signal → null (the routing
 * issue adds self-reported and text heuristics).
 */
export function computeConfidence(logprobs: readonly TokenLogprob[] | undefined): Confidence {
  if (!logprobs || logprobs.length === 0) return { value: null, signal: null };
  let sum = 0;
  for (const token of logprobs) sum += token.logprob;
  const value = Math.exp(sum / logprobs.length);
  return { value: Number(value.toFixed(4)), signal: "logprobs" };
}
