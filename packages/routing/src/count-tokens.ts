import o200kBase from "js-tiktoken/ranks/o200k_base";
import type { BpeTokenCounter } from "./internal/bpe-token-counter.ts";
import { createBpeTokenCounter } from "./internal/bpe-token-counter.ts";
import type { ChatMessage } from "./request-types.ts";

/**
 * Token counts with the o200k_base encoding (GPT-4o, GPT-5 and o-series models), whose ranks ship
 * in `js-tiktoken`: no network, no WASM. The counting itself is ours (see
 * `internal/bpe-token-counter.ts` for why not `Tiktoken#encode`), with identical results. Other vendors tokenize differently (Claude's tokenizer gives
 * roughly 10-20% more tokens on English), so a count is a routing estimate, not a bill: rules and
 * context-window checks should keep a margin.
 */

/**
 * Framing tokens of one chat message in OpenAI's format: `<|start|>`, the role, `<|message|>` and
 * `<|end|>` (the role name of system/user/assistant is a single token).
 */
export const TOKENS_PER_MESSAGE = 4;

/** Tokens the model's reply is primed with (`<|start|>assistant<|message|>`), once per request. */
export const TOKENS_PER_REPLY_PRIMING = 3;

let counter: BpeTokenCounter | undefined;

// Building the counter parses 200k BPE ranks: do it once, on first use, so importing the package
// stays cheap for processes that never count; `warmUpTokenCounter` moves that cost to start-up.
function getCounter(): BpeTokenCounter {
  counter ??= createBpeTokenCounter(o200kBase);
  return counter;
}

/** Builds the token counter now rather than on the first count (a process may call it at start). */
export function warmUpTokenCounter(): void {
  getCounter();
}

/**
 * Number of o200k_base tokens in `text`. Special-token strings such as `<|endoftext|>` in user text
 * are counted as the plain text they are (never refused, never given their special id).
 *
 * @example
 * countTokens("hello world"); // 2
 */
export function countTokens(text: string): number {
  if (text.length === 0) return 0;
  return getCounter().count(text);
}

/**
 * Tokens a chat request's messages take as model input: each message's content plus
 * {@link TOKENS_PER_MESSAGE} framing tokens, plus {@link TOKENS_PER_REPLY_PRIMING} once, as in
 * OpenAI's published recipe for counting chat tokens. An empty list counts 0.
 *
 * @example
 * countMessageTokens([{ role: "user", content: "hello world" }]); // 2 + 4 + 3 = 9
 */
export function countMessageTokens(messages: readonly ChatMessage[]): number {
  if (messages.length === 0) return 0;
  let total = TOKENS_PER_REPLY_PRIMING;
  for (const message of messages) total += TOKENS_PER_MESSAGE + countTokens(message.content);
  return total;
}
