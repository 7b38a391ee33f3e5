import { countTokens } from "../count-tokens.ts";
import { formatCount } from "../format-count.ts";
import type { CheckAnswer, CheckContext, CheckResult } from "./check-types.ts";
import { PASSED } from "./check-types.ts";

/** A summary is implausibly short below 1/200 of its input… */
const shortestShareOfInput = 1 / 200;
/** …but never needs more than this many tokens (one plain sentence is a summary of anything)… */
const shortestCapTokens = 20;
/** …and this many always pass (a very short input may have a very short summary). */
const shortestFloorTokens = 5;
/**
 * A summary this long is never "too long" for a short input: a 40-token note (instructions and
 * chat framing included) cannot be summarized in fewer tokens by any model, and requiring it made
 * every tier fail the job. Past this, a summary must be shorter than its input.
 */
const shortInputAllowanceTokens = 100;

/**
 * `summary_length`: only for the task `summarize`. The summary must be shorter than its input
 * (counted with the same o200k tokenizer as the input, so the two numbers compare; a summary of
 * up to 100 tokens always counts as short enough, since a very short input cannot be beaten) and not
 * implausibly short: at least 1/200 of the input's tokens, clamped to [5, 20] tokens. So a
 * 300-token abstract needs 5 tokens, a 10,000-token transcript 20 (a one-sentence gist still
 * passes; "Meeting notes." does not). The input count includes the instructions and chat framing,
 * which a summary need not beat by much: a summary as long as its input is still not a summary.
 *
 * @example
 * summaryLength(answer, { task: "summarize", inputTokens: 900, … }); // fails when the answer has ≥ 900 tokens
 */
export function summaryLength(answer: CheckAnswer, context: CheckContext): CheckResult {
  if (context.task !== "summarize") return { passed: true, reason: "not checked: not a summarize task" };
  const summaryTokens = countTokens(answer.text);
  const inputTokens = context.inputTokens;
  if (summaryTokens >= inputTokens && summaryTokens > shortInputAllowanceTokens) {
    return {
      passed: false,
      reason: `the summary (${formatCount(summaryTokens)} tokens) is not shorter than its input (${formatCount(inputTokens)} tokens)`,
    };
  }
  const shortest = Math.min(
    shortestCapTokens,
    Math.max(shortestFloorTokens, Math.ceil(inputTokens * shortestShareOfInput)),
  );
  if (summaryTokens < shortest) {
    return {
      passed: false,
      reason: `the summary (${formatCount(summaryTokens)} tokens) is implausibly short for an input of ${formatCount(inputTokens)} tokens (at least ${shortest})`,
    };
  }
  return PASSED;
}
