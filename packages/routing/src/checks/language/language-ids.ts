/**
 * What the language check can tell apart: eight Latin-script languages by their function words,
 * and other scripts by the script alone (Cyrillic covers Russian, Ukrainian, Bulgarian, …), except
 * that Han, kana and Hangul name Chinese, Japanese and Korean.
 */
export type LanguageId =
  | "en"
  | "fr"
  | "de"
  | "es"
  | "it"
  | "pt"
  | "nl"
  | "pl"
  | "cyrillic"
  | "greek"
  | "arabic"
  | "hebrew"
  | "devanagari"
  | "thai"
  | "zh"
  | "ja"
  | "ko";

/** Names shown in reasons. */
export const LANGUAGE_NAMES: Readonly<Record<LanguageId, string>> = {
  en: "English",
  fr: "French",
  de: "German",
  es: "Spanish",
  it: "Italian",
  pt: "Portuguese",
  nl: "Dutch",
  pl: "Polish",
  cyrillic: "Cyrillic script",
  greek: "Greek",
  arabic: "Arabic script",
  hebrew: "Hebrew",
  devanagari: "Devanagari script",
  thai: "Thai",
  zh: "Chinese",
  ja: "Japanese",
  ko: "Korean",
};

/**
 * How people name each language in a request, in English and in the eight Latin-script languages
 * (lowercase). "Answer in Russian" expects Cyrillic; "in Hindi" expects Devanagari.
 */
export const LANGUAGE_WORDS: Readonly<Record<LanguageId, readonly string[]>> = {
  en: ["english", "anglais", "englisch", "inglés", "ingles", "inglese", "inglês", "engels", "angielski"],
  fr: [
    "french",
    "français",
    "francais",
    "französisch",
    "francés",
    "frances",
    "francese",
    "francês",
    "frans",
    "francuski",
  ],
  de: ["german", "deutsch", "allemand", "alemán", "aleman", "tedesco", "alemão", "duits", "niemiecki"],
  es: [
    "spanish",
    "español",
    "espanol",
    "espagnol",
    "spanisch",
    "spagnolo",
    "espanhol",
    "spaans",
    "hiszpański",
  ],
  it: ["italian", "italiano", "italien", "italienisch", "italiaans", "włoski"],
  pt: [
    "portuguese",
    "português",
    "portugues",
    "portugais",
    "portugiesisch",
    "portoghese",
    "portugués",
    "portugees",
    "portugalski",
  ],
  nl: ["dutch", "flemish", "nederlands", "néerlandais", "niederländisch", "holandés", "olandese", "holandês"],
  pl: ["polish", "polski", "polonais", "polnisch", "polaco", "polacco", "pools"],
  cyrillic: [
    "russian",
    "ukrainian",
    "bulgarian",
    "belarusian",
    "macedonian",
    "kazakh",
    "mongolian",
    "русский",
    "українська",
  ],
  greek: ["greek", "ελληνικά"],
  arabic: ["arabic", "persian", "farsi", "urdu", "pashto", "العربية"],
  hebrew: ["hebrew", "yiddish", "עברית"],
  devanagari: ["hindi", "marathi", "nepali", "sanskrit", "हिन्दी"],
  thai: ["thai", "ไทย"],
  zh: ["chinese", "mandarin", "cantonese", "中文", "汉语", "漢語"],
  ja: ["japanese", "日本語"],
  ko: ["korean", "한국어"],
};

const idByWord = new Map<string, LanguageId>();
for (const [id, words] of Object.entries(LANGUAGE_WORDS) as Array<[LanguageId, readonly string[]]>) {
  for (const word of words) idByWord.set(word, id);
}

/** The language a name (any case) refers to, if it is one of {@link LANGUAGE_WORDS}. */
export function languageNamed(word: string): LanguageId | undefined {
  return idByWord.get(word.toLowerCase());
}

/** Every language name, longest first, as a regular-expression alternation. */
export const LANGUAGE_WORD_ALTERNATION = [...idByWord.keys()]
  .sort((x, y) => y.length - x.length)
  .map((word) => word.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"))
  .join("|");
