import type { LanguageId } from "./language-ids.ts";

/**
 * Frequent function words of eight Latin-script languages (lowercase). Running text is about 40%
 * function words, so a few dozen per language tell them apart cheaply. Words that would blur two
 * languages are left out where possible (no "i" for Polish: English "I" lowercases to it), and
 * English keeps "a" and "i" so that English prose full of articles is not read as Portuguese
 * or Italian, whose lists have "a" too (that happened on real paper summaries).
 */
const WORDS: Readonly<Record<string, string>> = {
  en: "a i the and is are was were of to in that it this with for on as be by not or have has you which but from they we at an will can would there their what when if about been more also these its",
  fr: "le la les des du un une et est sont que qui dans pour pas sur avec ce cette ces il elle ils nous vous au aux mais ou donc être avoir été très plus aussi comme leur fait c'est n'est j'ai",
  de: "der die das und ist sind nicht ein eine einen dem den des mit für auf auch sich es ich wir sie von zu im bei dass oder aber wie wird werden kann noch nur nach über wenn sehr hat haben",
  es: "el la los las de del y que en un una es son por para con no se lo su sus al como pero más este esta está están también muy porque cuando ser hay fue ya sobre entre sin",
  it: "il lo la gli le di del della dei che e è un una per con non si sono da nel nella alla al come ma anche più questo questa molto perché quando essere ha hanno sul degli delle ci",
  pt: "o a os as de do da dos das e que em no na nos um uma é são para com não se por mais como mas também muito porque quando ser tem foi está isso este esta ao pelo pela",
  nl: "de het een en is zijn van dat die in op te met voor niet er ook als maar om aan bij door naar wordt worden kan wel nog dit deze ze we hij je zo heeft hebben geen uit over",
  pl: "w z na do nie to jest są się że jak od o dla ale co tak jego jej przez po czy tylko już tym może być był była ich oraz także bardzo który która które też tego gdy",
};

/** The Latin-script languages with a function-word profile. */
export const PROFILED_LANGUAGES = Object.keys(WORDS) as LanguageId[];

/** For each word, the profiled languages it belongs to (a word like "de" counts for several). */
export const LANGUAGES_BY_WORD: ReadonlyMap<string, readonly number[]> = (() => {
  const map = new Map<string, number[]>();
  PROFILED_LANGUAGES.forEach((language, index) => {
    for (const word of (WORDS[language] ?? "").split(" ")) {
      const languages = map.get(word) ?? [];
      languages.push(index);
      map.set(word, languages);
    }
  });
  return map;
})();
