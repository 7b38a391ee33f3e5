/**
 * What a question is about, so answers can refer to it: salient words, a short gist, and the one
 * kind of question the simulator can actually answer (simple arithmetic), which lets benchmarks tell a
 * right answer from a hedged wrong one.
 */

const stopwords = new Set(
  (
    "a about above after again against all also am an and any are as at be because been before being " +
    "below between both but by can could did do does doing down during each few for from further had " +
    "has have having he her here hers him his how i if in into is it its itself just let like me more " +
    "most my no nor not now of off on once only or other our out over own please same she should so " +
    "some such than that the their them then there these they this those through to too under " +
    "until up very was we were what when where which while who whom why will with would you your " +
    "yours answer question following text using use briefly simply one two three way ways best good " +
    // Imperative verbs that open prompts name the task, not the topic.
    "give tell show make explain describe write list find prove derive compare contrast analyze analyse " +
    "evaluate summarize summarise classify calculate compute implement create build design help suggest " +
    "recommend choose decide determine review check fix debug translate configure set get"
  ).split(" "),
);

const maxPhraseWords = 3;

/**
 * Up to `limit` distinct key phrases of `text`, in order of appearance: runs of words between
 * stopwords and punctuation (the RAKE idea), so "How do I tune rate limits for a job queue?" gives
 * "tune rate limits" and "job queue" rather than single words.
 */
export function keywords(text: string, limit = 4): string[] {
  const phrases: string[] = [];
  const flush = (run: string[]) => {
    const phrase = run.slice(0, maxPhraseWords).join(" ");
    if (run.some((word) => /\p{L}{3,}/u.test(word)) && !phrases.includes(phrase)) phrases.push(phrase);
    run.length = 0;
  };
  for (const clause of text.toLowerCase().split(/[^\p{L}\p{N}\s'-]+/u)) {
    const run: string[] = [];
    for (const word of clause.split(/\s+/).filter(Boolean)) {
      if (stopwords.has(word)) flush(run);
      else run.push(word);
    }
    flush(run);
    if (phrases.length >= limit) break;
  }
  return phrases.slice(0, limit);
}

const maxGistWords = 12;

/** The first sentence or line of `text`, at most a dozen words, without its closing punctuation. */
export function questionGist(text: string): string {
  const firstLine = text.trim().split(/\n/)[0] ?? "";
  const firstSentence = firstLine.split(/(?<=[.!?])\s+/)[0] ?? firstLine;
  const words = firstSentence.split(/\s+/).filter(Boolean);
  const gist = words.slice(0, maxGistWords).join(" ");
  return (words.length > maxGistWords ? `${gist}…` : gist).replace(/[.!?:;,]+$/, "");
}

/** An arithmetic question the simulator can answer exactly. */
export interface Arithmetic {
  expression: string;
  value: number;
}

const arithmeticPattern = /(-?\d+(?:\.\d+)?)\s*([+\-*/×x÷])\s*(-?\d+(?:\.\d+)?)/;

/** Finds `a op b` in the text and computes it; undefined when there is none (or it divides by 0). */
export function findArithmetic(text: string): Arithmetic | undefined {
  const match = arithmeticPattern.exec(text);
  if (!match) return undefined;
  const [expression, leftText, operator, rightText] = match;
  const left = Number(leftText);
  const right = Number(rightText);
  let value: number;
  switch (operator) {
    case "+":
      value = left + right;
      break;
    case "-":
      value = left - right;
      break;
    case "/":
    case "÷":
      if (right === 0) return undefined;
      value = left / right;
      break;
    default:
      value = left * right;
  }
  return { expression: expression.replace(/\s+/g, " "), value: Math.round(value * 1e6) / 1e6 };
}

/** `"rate limits"` → `"Rate Limits"`. */
export function titleCase(text: string): string {
  return text.replace(
    /(^|\s)(\p{L})/gu,
    (_match, space: string, letter: string) => space + letter.toUpperCase(),
  );
}
