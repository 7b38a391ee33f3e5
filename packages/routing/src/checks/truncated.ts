import type { CheckAnswer, CheckResult } from "./check-types.ts";
import { PASSED } from "./check-types.ts";

/**
 * `truncated`: the model stopped because it reached the output token limit (`finish_reason`
 * `length`, Anthropic's `max_tokens`), so the answer is cut mid-way. A stronger tier with the same
 * limit may still be cut; the check still fails, because a cut answer is never a good one.
 *
 * @example
 * truncated({ finishReason: "length", … }); // { passed: false, reason: "cut off at the output token limit (…)" }
 */
export function truncated(answer: CheckAnswer): CheckResult {
  if (answer.finishReason === "length" || answer.finishReason === "max_tokens") {
    return {
      passed: false,
      reason: `cut off at the output token limit (finish_reason ${answer.finishReason}, ${answer.usage.outputTokens} output tokens)`,
    };
  }
  return PASSED;
}
