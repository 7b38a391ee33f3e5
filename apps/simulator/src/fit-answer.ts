/**
 * Cuts an answer's text to what the request allows, as the vendors do: fault `truncate` keeps half of
 * it, and the token limit keeps at most that many tokens; either way the finish reason says `length`.
 * Shared by generated and replayed answers, so both end the same way at the limit.
 */
import type { FaultDecision } from "./fault-plan.ts";
import { tokenize } from "./tokenizer.ts";

export type FinishReason = "stop" | "length";

/** An answer after the cut: its tokens concatenate to `text`. */
export interface FittedAnswer {
  text: string;
  tokens: string[];
  finish: FinishReason;
}

export function fitAnswer(
  text: string,
  fault: FaultDecision | undefined,
  maxOutputTokens: number,
): FittedAnswer {
  let tokens = tokenize(text);
  let finish: FinishReason = "stop";
  if (fault?.kind === "truncate") {
    tokens = tokens.slice(0, Math.max(1, Math.floor(tokens.length / 2)));
    finish = "length";
  }
  if (tokens.length > maxOutputTokens) {
    tokens = tokens.slice(0, maxOutputTokens);
    finish = "length";
  }
  return { text: tokens.join(""), tokens, finish };
}
