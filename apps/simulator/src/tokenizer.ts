/**
 * The simulator's own tokenizer. It is not any vendor's BPE; it only has to be deterministic, roughly
 * as granular as real tokenizers (a word or a punctuation mark per token, long words split) and
 * lossless: the tokens of a text concatenate back to the text, so streamed deltas and logprob tokens
 * rebuild the exact answer, as they do with the real APIs.
 */

/** Longest run of word characters kept in one token; real BPEs split long words too. */
const maxWordCharsPerToken = 8;

/**
 * A token is optional leading whitespace followed by either a run of word characters or a single
 * other character; whitespace at the very end of a text is a token of its own.
 */
const tokenPattern = new RegExp(
  `\\s*[\\p{L}\\p{N}_']{1,${maxWordCharsPerToken}}|\\s*[^\\s\\p{L}\\p{N}_']|\\s+`,
  "gu",
);

/**
 * Splits text into tokens.
 *
 * @example
 * tokenize("Hello, world!") // ["Hello", ",", " world", "!"]
 */
export function tokenize(text: string): string[] {
  return text.match(tokenPattern) ?? [];
}

/** Number of tokens in `text`. */
export function countTokens(text: string): number {
  let count = 0;
  tokenPattern.lastIndex = 0;
  while (tokenPattern.exec(text) !== null) count++;
  return count;
}

/** Fixed per-message cost, like the role and separator tokens of the real chat formats. */
const perMessageOverheadTokens = 4;
/** Fixed per-request cost (the assistant turn's priming tokens). */
const perRequestOverheadTokens = 3;

/** Input tokens of a chat request: its texts plus the framing overhead of each message. */
export function countPromptTokens(system: string, messages: ReadonlyArray<{ content: string }>): number {
  let total = perRequestOverheadTokens;
  if (system.length > 0) total += perMessageOverheadTokens + countTokens(system);
  for (const message of messages) total += perMessageOverheadTokens + countTokens(message.content);
  return total;
}
