import type { CheckAnswer, CheckResult } from "./check-types.ts";
import { PASSED } from "./check-types.ts";

/**
 * `empty`: the answer has no text, or only whitespace (spaces, newlines, zero-width and
 * non-breaking spaces count as whitespace too).
 *
 * @example
 * empty({ text: " \n", … }); // { passed: false, reason: "the answer is only whitespace" }
 */
export function empty(answer: CheckAnswer): CheckResult {
  if (answer.text.length === 0) return { passed: false, reason: "the answer is empty" };
  // \s covers Unicode spaces but not the zero-width ones models sometimes emit alone.
  if (answer.text.replace(/[\s\u200b-\u200d\u2060\ufeff]/g, "").length === 0) {
    return { passed: false, reason: "the answer is only whitespace" };
  }
  return PASSED;
}
