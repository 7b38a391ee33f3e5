import type { CheckAnswer, CheckResult } from "./check-types.ts";
import { PASSED } from "./check-types.ts";

/**
 * Only the opening of an answer is searched: a refusal says so first, while a long helpful answer
 * may well contain "I can't" or "as an AI" further down (quoting, or explaining AI).
 */
const openingChars = 300;
/** Longest stretch of the answer quoted in a reason. */
const quotedChars = 80;

const a = "['’]";
const cannot = `(?:can${a}?t|cannot|can not|won${a}t|will not|am unable to|${a}m unable to|am not able to|${a}m not able to|am not allowed to|${a}m not allowed to)`;
const helpVerbs =
  "(?:help|assist|provide|comply|do that|do this|answer|fulfil|fulfill|complete|support|generate|create|write|share|discuss|engage)";
const apology = `(?:I${a}m sorry|I am sorry|sorry|I apologi[sz]e|unfortunately|my apologies)`;

/**
 * Refusal patterns. Each is anchored at the start of the answer or of a sentence in its opening,
 * and needs the refusing verb, so "AI" or "I can't stress enough" alone never match.
 */
const REFUSAL_PATTERNS: readonly RegExp[] = [
  // "I'm sorry, but I can't help with that." / "Unfortunately, I am unable to provide …"
  new RegExp(
    `(?:^|[.!?]\\s+)${apology}[,.!]?\\s+(?:but\\s+)?(?:as an AI[^,.]{0,40},\\s*)?I\\s*${cannot}\\b`,
    "i",
  ),
  // "I can't help with that." / "I cannot assist with this request." at the start of a sentence.
  new RegExp(`(?:^|[.!?]\\s+)I\\s*${cannot}\\s+(?:really\\s+)?${helpVerbs}\\b`, "i"),
  // "As an AI language model, I cannot / I don't have / I'm not able to …"
  new RegExp(
    `(?:^|[.!?]\\s+)as an AI(?: language model| model| assistant)?,\\s*I\\s*(?:${cannot}|do not|don${a}t|have no|lack)\\b`,
    "i",
  ),
  // "I don't know." / "I do not know the answer" opening the answer.
  new RegExp(`^\\s*(?:${apology}[,.!]?\\s+)?I (?:really )?(?:don${a}t|do not) know\\b`, "i"),
  // "I'm unable to …" / "I am not able to …" opening the answer, whatever the verb.
  new RegExp(`^\\s*(?:${apology}[,.!]?\\s+)?I(?:${a}m| am) (?:unable|not able) to\\b`, "i"),
];

/**
 * `refusal`: the model declined or said it does not know: a `refusal`/`content_filter` finish
 * reason, or a refusal phrase at the start of the answer or of a sentence in its first 300
 * characters ("I'm sorry, but I can't help with that", "As an AI language model, I cannot…",
 * "I don't know", "I'm unable to…"). Mentioning AI, or a later "I can't", passes.
 *
 * @example
 * refusal({ text: "I'm sorry, but I can't help with that.", … }); // passed: false
 * refusal({ text: "AI models are trained on text.", … });          // passed: true
 */
export function refusal(answer: CheckAnswer): CheckResult {
  if (answer.finishReason === "refusal" || answer.finishReason === "content_filter") {
    return {
      passed: false,
      reason: `the provider stopped the answer (finish_reason ${answer.finishReason})`,
    };
  }
  const opening = answer.text.slice(0, openingChars);
  for (const pattern of REFUSAL_PATTERNS) {
    const match = pattern.exec(opening);
    if (match) {
      const quoted = match[0].replace(/^[.!?]?\s+/, "").slice(0, quotedChars);
      return { passed: false, reason: `the answer refuses or does not know: "${quoted}"` };
    }
  }
  return PASSED;
}
