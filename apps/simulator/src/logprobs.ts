/**
 * Per-token log probabilities. Routers use them as a confidence signal, so they follow the judgement:
 * confident answers sit near 0 (≈ -0.01 … -0.2 per token), hedged ones far below (≈ -1 … -3).
 */
import type { Judgement } from "./difficulty.ts";
import type { Rng } from "./rng.ts";

export interface AlternativeLogprob {
  token: string;
  logprob: number;
}

export interface TokenLogprob {
  token: string;
  logprob: number;
  /** The most likely tokens at this position, best first; includes `token` itself. */
  top: AlternativeLogprob[];
}

const confidentMin = 0.01;
const confidentSpan = 0.19;
const hedgedMin = 1;
const hedgedSpan = 2;

/** Plausible runner-up tokens; which ones appear is seeded, their text never matters. */
const alternatives = [
  " the",
  " a",
  " it",
  " this",
  ",",
  ".",
  " and",
  " of",
  " to",
  " is",
  " that",
  " in",
  " for",
  " on",
  " with",
  " as",
  " be",
  " or",
  " we",
  " can",
];

/** The OpenAI API caps `top_logprobs` at 20. */
export const maxTopLogprobs = 20;

/** Log probabilities for each token of an answer, with `topCount` alternatives per position. */
export function tokenLogprobs(
  tokens: readonly string[],
  judgement: Judgement,
  rng: Rng,
  topCount: number,
): TokenLogprob[] {
  // More confident answers lean towards the top of the confident range.
  const confidentSpread = confidentSpan * Math.min(1, 1.3 - judgement.confidence);
  return tokens.map((token) => {
    const logprob = judgement.confident
      ? -(confidentMin + confidentSpread * rng.next())
      : -(hedgedMin + hedgedSpan * rng.next());
    return { token, logprob: round4(logprob), top: topAlternatives(token, logprob, rng, topCount) };
  });
}

/**
 * The chosen token plus runners-up sharing the remaining probability mass in halves, so the listed
 * probabilities never sum past 1 and a low-probability pick is outranked, as it would be when sampling.
 */
function topAlternatives(token: string, logprob: number, rng: Rng, topCount: number): AlternativeLogprob[] {
  if (topCount <= 0) return [];
  const remaining = Math.max(1e-9, 1 - Math.exp(logprob));
  const others: AlternativeLogprob[] = [];
  const start = rng.int(0, alternatives.length - 1);
  for (let rank = 0; others.length < topCount - 1 && rank < alternatives.length; rank++) {
    const candidate = alternatives[(start + rank) % alternatives.length] as string;
    if (candidate === token) continue;
    others.push({ token: candidate, logprob: round4(Math.log(remaining * 0.5 ** (others.length + 1))) });
  }
  return [{ token, logprob: round4(logprob) }, ...others].sort((left, right) => right.logprob - left.logprob);
}

/** UTF-8 bytes of a token, as the OpenAI API reports them. */
export function tokenBytes(token: string): number[] {
  return [...Buffer.from(token, "utf8")];
}

function round4(value: number): number {
  return Math.round(value * 10_000) / 10_000;
}
