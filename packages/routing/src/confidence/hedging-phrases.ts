/**
 * Phrases by which an answer says it is unsure, with how much each one lowers the heuristic
 * confidence. Three strengths:
 * - `strong` (0.45): the answer says outright that it does not know or may be wrong. One such phrase
 *   alone takes a plain answer (0.9) under the default threshold of 0.5.
 * - `medium` (0.15): an explicit hedge ("I think", "possibly", "it's unclear").
 * - `weak` (0.06): a word that is often hedging but also ordinary precision ("approximately 3.1 km",
 *   "probably").
 * Medium and weak weights are diluted in long answers (see `heuristicConfidence`): a "possibly" in a
 * two-page essay says less than in a one-line answer. Words with too many ordinary uses are left out
 * or only counted in a hedging construction: "might" counts in "it might be", not in "you might
 * want to"; "may" counts only as "may be"/"may not"; "could" counts only as "could be wrong".
 */

export type HedgeStrength = "strong" | "medium" | "weak";

export interface HedgingPhrase {
  /** Shown in a confidence's detail. */
  label: string;
  strength: HedgeStrength;
  /** Global and case-insensitive; apostrophes match both ' and ’. */
  pattern: RegExp;
}

export const HEDGE_WEIGHTS: Readonly<Record<HedgeStrength, number>> = {
  strong: 0.45,
  medium: 0.15,
  weak: 0.06,
};

const a = "['’]"; // straight or typographic apostrophe

function phrase(label: string, strength: HedgeStrength, source: string): HedgingPhrase {
  return { label, strength, pattern: new RegExp(`\\b${source}\\b`, "gi") };
}

export const HEDGING_PHRASES: readonly HedgingPhrase[] = [
  phrase("I'm not sure", "strong", `(?:I${a}m|I am) not (?:entirely |completely |totally |100% )?sure`),
  phrase("I'm not certain", "strong", `(?:I${a}m|I am) not (?:entirely |completely )?certain`),
  phrase("I'm unsure", "strong", `(?:I${a}m|I am) unsure`),
  phrase("I cannot be certain", "strong", `I (?:cannot|can${a}t|can not) be (?:certain|sure)`),
  phrase("I don't know", "strong", `I (?:don${a}t|do not) (?:really )?know`),
  phrase("I could be wrong", "strong", `I (?:could|may|might) be (?:wrong|mistaken)`),
  phrase("I'm guessing", "strong", `(?:I${a}m|I am) (?:just )?guessing|my best guess|a rough guess`),
  phrase("hard to say", "strong", `(?:hard|difficult|impossible) to (?:say|tell|determine|know)`),
  phrase("no way to know", "strong", `(?:no way|not possible) (?:for me )?to (?:know|tell|determine)`),
  phrase("not enough information", "medium", `(?:not enough|insufficient) (?:information|context|data)`),
  phrase("it's unclear", "medium", `(?:it${a}s|it is|this is|that is|remains) unclear`),
  phrase("I think", "medium", `I (?:think|believe|suspect|assume|guess)`),
  phrase("it seems", "medium", `it (?:seems|appears)`),
  phrase("possibly", "medium", `possibly`),
  phrase("perhaps", "medium", `perhaps|maybe`),
  phrase("probably", "weak", `probably|likely|unlikely`),
  // Not after "that"/"which": "messages that could be retried" describes, it does not doubt.
  phrase(
    "it might be",
    "weak",
    `(?:it|this|there|the answer|the result) (?:might|may|could) (?:be|have been)`,
  ),
  phrase("approximately", "weak", `approximately|roughly`),
];

/** One phrase's occurrences in an answer. */
export interface HedgeHit {
  phrase: HedgingPhrase;
  count: number;
}

/** The hedging phrases in `text`, in table order, each with how often it occurs. */
export function findHedges(text: string): HedgeHit[] {
  const hits: HedgeHit[] = [];
  for (const hedging of HEDGING_PHRASES) {
    hedging.pattern.lastIndex = 0;
    let count = 0;
    while (hedging.pattern.exec(text) !== null) count++;
    if (count > 0) hits.push({ phrase: hedging, count });
  }
  return hits;
}
