import type { LanguageId } from "./language-ids.ts";
import { LANGUAGES_BY_WORD, PROFILED_LANGUAGES } from "./stopwords.ts";

/** Fewer letters than this (CJK characters count 3) and nothing is said about the script. */
const minLetters = 20;
/** The dominant script must hold this share of the letters. */
const minScriptShare = 0.6;
/** A Latin text needs this many words, and its best language this many function-word hits… */
const minWords = 8;
const minHits = 3;
/** …making up this share of its words… */
const minHitShare = 0.15;
/** …and a score this many times the runner-up's. */
const minLeadFactor = 1.5;

type Script = "latin" | Exclude<LanguageId, "en" | "fr" | "de" | "es" | "it" | "pt" | "nl" | "pl"> | "kana";

/** The script of a code point, for the scripts the check knows; undefined for the rest (digits, punctuation, …). */
function scriptOf(code: number): Script | undefined {
  if ((code >= 0x41 && code <= 0x5a) || (code >= 0x61 && code <= 0x7a)) return "latin";
  if (code < 0xc0) return undefined;
  if (code <= 0x24f) return code === 0xd7 || code === 0xf7 ? undefined : "latin";
  if (code >= 0x1e00 && code <= 0x1eff) return "latin";
  if ((code >= 0x370 && code <= 0x3ff) || (code >= 0x1f00 && code <= 0x1fff)) return "greek";
  if (code >= 0x400 && code <= 0x52f) return "cyrillic";
  if (code >= 0x590 && code <= 0x5ff) return "hebrew";
  if (
    (code >= 0x600 && code <= 0x6ff) ||
    (code >= 0x750 && code <= 0x77f) ||
    (code >= 0x8a0 && code <= 0x8ff)
  ) {
    return "arabic";
  }
  if ((code >= 0xfb50 && code <= 0xfdff) || (code >= 0xfe70 && code <= 0xfeff)) return "arabic";
  if (code >= 0x900 && code <= 0x97f) return "devanagari";
  if (code >= 0xe00 && code <= 0xe7f) return "thai";
  if ((code >= 0x3040 && code <= 0x30ff) || (code >= 0x31f0 && code <= 0x31ff)) return "kana";
  if (
    (code >= 0xac00 && code <= 0xd7af) ||
    (code >= 0x1100 && code <= 0x11ff) ||
    (code >= 0x3130 && code <= 0x318f)
  ) {
    return "ko";
  }
  if (
    (code >= 0x4e00 && code <= 0x9fff) ||
    (code >= 0x3400 && code <= 0x4dbf) ||
    (code >= 0xf900 && code <= 0xfaff)
  ) {
    return "zh";
  }
  if (code >= 0x20000 && code <= 0x2a6df) return "zh";
  return undefined;
}

/** Code blocks, inline code and URLs are not the answer's language: "return x if y" is not English. */
export function withoutCode(text: string): string {
  return text
    .replace(/```[\s\S]*?(?:```|$)/g, " ")
    .replace(/`[^`\n]*`/g, " ")
    .replace(/\b(?:https?:\/\/|www\.)\S+/g, " ");
}

/**
 * The language of `text` when it can be told with confidence, else undefined. The script first
 * (letters counted per script, CJK characters three times since each carries a word's worth);
 * for Latin text, the eight function-word profiles. Callers strip code first (`withoutCode`).
 *
 * @example
 * detectLanguage("Le chat est sur la table et il dort depuis une heure."); // "fr"
 */
export function detectLanguage(text: string): LanguageId | undefined {
  const counts = new Map<Script, number>();
  let letters = 0;
  for (const char of text) {
    const script = scriptOf(char.codePointAt(0) ?? 0);
    if (script === undefined) continue;
    const weight = script === "zh" || script === "kana" || script === "ko" ? 3 : 1;
    counts.set(script, (counts.get(script) ?? 0) + weight);
    letters += weight;
  }
  if (letters < minLetters) return undefined;

  // Japanese mixes kanji (Han) and kana: any real share of kana makes Han text Japanese.
  const kana = counts.get("kana") ?? 0;
  const han = counts.get("zh") ?? 0;
  if (kana > 0 && kana >= 0.1 * (kana + han)) {
    counts.set("kana", kana + han);
    counts.delete("zh");
  }
  let dominant: Script | undefined;
  let dominantCount = 0;
  for (const [script, count] of counts) {
    if (count > dominantCount) {
      dominant = script;
      dominantCount = count;
    }
  }
  if (dominant === undefined || dominantCount < minScriptShare * letters) return undefined;
  if (dominant === "kana") return "ja";
  if (dominant !== "latin") return dominant;
  return latinLanguage(text);
}

function latinLanguage(text: string): LanguageId | undefined {
  // A word shared by k languages ("la": French, Spanish, Italian) adds 1/k to each: the words
  // only one language has decide, the shared ones only confirm.
  const scores = new Array<number>(PROFILED_LANGUAGES.length).fill(0);
  const hits = new Array<number>(PROFILED_LANGUAGES.length).fill(0);
  let words = 0;
  for (const match of text.toLowerCase().matchAll(/\p{L}+(?:['’]\p{L}+)?/gu)) {
    words++;
    const languages = LANGUAGES_BY_WORD.get(match[0].replace("’", "'"));
    if (languages === undefined) continue;
    for (const index of languages) {
      scores[index] = (scores[index] ?? 0) + 1 / languages.length;
      hits[index] = (hits[index] ?? 0) + 1;
    }
  }
  if (words < minWords) return undefined;
  let best = 0;
  let runnerUp = -1;
  for (let index = 1; index < scores.length; index++) {
    if ((scores[index] ?? 0) > (scores[best] ?? 0)) {
      runnerUp = best;
      best = index;
    } else if (runnerUp < 0 || (scores[index] ?? 0) > (scores[runnerUp] ?? 0)) {
      runnerUp = index;
    }
  }
  const bestHits = hits[best] ?? 0;
  const confident =
    bestHits >= minHits &&
    bestHits >= minHitShare * words &&
    (scores[best] ?? 0) >= minLeadFactor * (scores[runnerUp] ?? 0);
  return confident ? PROFILED_LANGUAGES[best] : undefined;
}
