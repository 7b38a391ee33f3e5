import type { LanguageId } from "./language-ids.ts";
import { LANGUAGE_WORD_ALTERNATION, languageNamed } from "./language-ids.ts";

const names = `(${LANGUAGE_WORD_ALTERNATION})`;
// Letters on both sides must not continue the name ("Germany" is not "German"); \b is ASCII-only.
const word = (source: string) => `(?<!\\p{L})${source}(?!\\p{L})`;

/**
 * An explicit instruction, kept narrow on purpose (a missed instruction only makes the check more
 * lenient, a false one fails good answers):
 * - "answer/respond/reply/write/speak/explain [only|always|back|…] in <language>" ("Answer in French",
 *   "please reply only in Spanish"), but not "write a poem in French" or "explain how to say it in
 *   French";
 * - "translate/rewrite/summarize … into/to/in <language>" within the sentence ("Translate the text
 *   below into German");
 * - a native phrase: "en français", "auf Deutsch", "en español", "in italiano", "em português",
 *   "in het Nederlands", "po polsku".
 * A bare "in French" is not one: "What is 'cat' in French?" is asked and answered in English.
 */
const INSTRUCTION = new RegExp(
  [
    `${word("(?:answer|respond|reply|write|speak|explain)")}(?:\\s+(?:only|always|back|me|this|it|everything|all|exclusively|your answers?))*\\s+(?:in|using)\\s+(?:the\\s+)?${word(names)}`,
    `${word("(?:translate|rewrite|summari[sz]e)")}[^.?!\\n]{0,60}?\\s(?:into|to|in)\\s+(?:the\\s+)?${word(names)}`,
    `${word("(?:en|auf|in|em|in het|po)")}\\s+${word("(français|deutsch|español|italiano|português|nederlands|polsku)")}`,
  ].join("|"),
  "giu",
);

const NATIVE: Readonly<Record<string, LanguageId>> = {
  français: "fr",
  deutsch: "de",
  español: "es",
  italiano: "it",
  português: "pt",
  nederlands: "nl",
  polsku: "pl",
};

/** The last explicit answer-language instruction in the texts, with the words that gave it. */
export function requestedLanguage(texts: readonly string[]): { id: LanguageId; quote: string } | undefined {
  let found: { id: LanguageId; quote: string } | undefined;
  for (const text of texts) {
    INSTRUCTION.lastIndex = 0;
    for (const match of text.matchAll(INSTRUCTION)) {
      const named = match[1] ?? match[2] ?? match[3] ?? "";
      const id = languageNamed(named) ?? NATIVE[named.toLowerCase()];
      if (id !== undefined) found = { id, quote: match[0].slice(0, 80) };
    }
  }
  return found;
}

const MENTION = new RegExp(word(names), "giu");

/** True when any of the texts names the language (then an answer in it is never a mismatch). */
export function mentionsLanguage(texts: readonly string[], id: LanguageId): boolean {
  for (const text of texts) {
    for (const match of text.matchAll(MENTION)) {
      if (languageNamed(match[1] ?? "") === id) return true;
    }
  }
  return false;
}
