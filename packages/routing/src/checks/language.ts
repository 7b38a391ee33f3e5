import type { CheckAnswer, CheckContext, CheckResult } from "./check-types.ts";
import { detectLanguage, withoutCode } from "./language/detect-language.ts";
import { LANGUAGE_NAMES } from "./language/language-ids.ts";
import { mentionsLanguage, requestedLanguage } from "./language/requested-language.ts";

/**
 * `language`: the answer is in another language than asked. Cheap (no model, no dictionary): the
 * script of the letters, and for Latin text the function words of eight languages (see
 * `language/`). Code, inline code and URLs are ignored on both sides.
 *
 * What was asked: an explicit instruction in the system or user messages ("answer in French",
 * "translate … into German", "auf Deutsch"; in a long user message only its first and last 600
 * characters, around the material), the last one winning; else the language of the last
 * user message (or of all user messages together when the last is too short to tell).
 *
 * It fails only when both languages are detected with confidence and differ, and, without an
 * explicit instruction, the request does not name the answer's language anywhere ("give me the
 * German version" is then not a mismatch). Everything else passes, with a reason saying why it was
 * not checked. JSON answers are not checked (keys and values are rarely prose).
 *
 * @example
 * language({ text: "Le chat dort sur la table depuis une heure.", … },
 *   { messages: [{ role: "user", content: "Where is the cat sleeping, and for how long has it been there?" }], … });
 * // → { passed: false, reason: "the answer is in French, but the question is in English" }
 */
/**
 * Where a long user message's instructions are looked for: its first and last characters. The
 * instructions sit around the material ("Summarize in French: …", "… Answer in German."); a phrase
 * deep inside a pasted document ("answer in French" said in a meeting transcript) is content, and
 * taking it for an instruction failed good summaries on every tier.
 */
const INSTRUCTION_EDGE_CHARS = 600;

/** The parts of a message that may hold an answer-language instruction. */
function instructionParts(role: string, content: string): string[] {
  if (role !== "user" || content.length <= 2 * INSTRUCTION_EDGE_CHARS) return [content];
  return [content.slice(0, INSTRUCTION_EDGE_CHARS), content.slice(-INSTRUCTION_EDGE_CHARS)];
}

export function language(answer: CheckAnswer, context: CheckContext): CheckResult {
  if (context.responseFormat.type !== "text") return { passed: true, reason: "not checked: JSON answer" };
  const answerLanguage = detectLanguage(withoutCode(answer.text));
  if (answerLanguage === undefined) {
    return { passed: true, reason: "not checked: the answer's language cannot be told" };
  }
  const answerName = LANGUAGE_NAMES[answerLanguage];

  const instructions: string[] = [];
  const instructionEdges: string[] = [];
  const userTexts: string[] = [];
  for (const message of context.messages) {
    if (message.role === "assistant") continue;
    instructions.push(message.content);
    instructionEdges.push(...instructionParts(message.role, message.content));
    if (message.role === "user") userTexts.push(message.content);
  }
  const requested = requestedLanguage(instructionEdges);
  if (requested !== undefined) {
    if (requested.id === answerLanguage) return { passed: true, reason: `ok: ${answerName} as asked` };
    return {
      passed: false,
      reason: `the answer is in ${answerName}, but the request asks for ${LANGUAGE_NAMES[requested.id]} ("${requested.quote}")`,
    };
  }

  const last = userTexts[userTexts.length - 1];
  const questionLanguage =
    (last === undefined ? undefined : detectLanguage(withoutCode(last))) ??
    (userTexts.length > 1 ? detectLanguage(withoutCode(userTexts.join("\n"))) : undefined);
  if (questionLanguage === undefined) {
    return { passed: true, reason: "not checked: the question's language cannot be told" };
  }
  if (questionLanguage === answerLanguage) return { passed: true, reason: `ok: ${answerName}` };
  if (mentionsLanguage(instructions, answerLanguage)) {
    return { passed: true, reason: `ok: the answer is in ${answerName}, which the request mentions` };
  }
  return {
    passed: false,
    reason: `the answer is in ${answerName}, but the question is in ${LANGUAGE_NAMES[questionLanguage]}`,
  };
}
