/**
 * Doubts about a worked numeric answer to a question that gives quantities (a word problem, a
 * bill, a schedule): checks that need no model and no reference answer, only the question and
 * the answer's own working.
 * - The final answer should come out of the working: an answer whose final number is never the
 *   result of any `… = N` step was not computed, it was guessed or copied from a wrong line.
 * - The question's quantities should be used: an answer that ignores one of the numbers given
 *   usually missed a condition.
 * - A count ("how many …") should not come out fractional.
 */

/** A number as written in prose: `1,250`, `3.5`, `$12`, `25%` (the sign and units are dropped). */
const NUMBER = /\d[\d,]*(?:\.\d+)?/g;
/** `= 42`, `= $1,250.50`: the result side of a step. */
const STEP_RESULT = /=\s*\$?\s*(-?\d[\d,]*(?:\.\d+)?)/g;
/** Explicit final-answer markers, most specific first. */
const FINAL_MARKERS = [
  /####\s*\$?\s*(-?\d[\d,]*(?:\.\d+)?)/,
  /\\boxed\{\s*\$?\s*(-?\d[\d,]*(?:\.\d+)?)/,
  /final answer\s*(?:is|:)?\s*\$?\s*(-?\d[\d,]*(?:\.\d+)?)/i,
  /the answer is\s*:?\s*\$?\s*(-?\d[\d,]*(?:\.\d+)?)/i,
];
const COUNT_QUESTION = /\bhow many\b/i;

/** Final answer not produced by any step: strong evidence of a wrong answer. */
const notDerivedFactor = 0.5;
/** Per share of the question's quantities left unused. */
const unusedQuantityWeight = 0.35;
const fractionalCountFactor = 0.85;

export interface WorkedAnswerDoubts {
  /** Multiply the confidence by this (1 = no doubt). */
  factor: number;
  reasons: string[];
}

/**
 * The doubts about `answer` as a worked answer to `question`, or undefined when it is not one (no
 * quantities in the question, or no numbers in the answer): then these checks say nothing.
 */
export function workedAnswerDoubts(question: string, answer: string): WorkedAnswerDoubts | undefined {
  const given = new Set(numbersIn(question));
  const used = numbersIn(answer);
  if (given.size === 0 || used.length === 0) return undefined;

  let factor = 1;
  const reasons: string[] = [];
  const final = finalNumber(answer, used);
  const marker = FINAL_MARKERS.find((pattern) => pattern.test(answer));
  const working = marker ? answer.slice(0, answer.search(marker)) : answer;
  const results = [...working.matchAll(STEP_RESULT)].map((match) => parseNumber(match[1] ?? ""));
  if (results.length > 0 && final !== undefined && !results.some((value) => sameNumber(value, final))) {
    factor *= notDerivedFactor;
    reasons.push(`the final answer ${formatNumber(final)} is not the result of any step of the working`);
  }

  const usedSet = new Set(used);
  const unused = [...given].filter((value) => !usedSet.has(value));
  if (unused.length > 0) {
    factor *= 1 - unusedQuantityWeight * (unused.length / given.size);
    reasons.push(
      `uses ${given.size - unused.length} of the ${given.size} quantities in the question (not ${unused.map(formatNumber).join(", ")})`,
    );
  }

  if (final !== undefined && !Number.isInteger(final) && COUNT_QUESTION.test(question)) {
    factor *= fractionalCountFactor;
    reasons.push(`a fractional count (${formatNumber(final)}) for a "how many" question`);
  }
  return { factor, reasons };
}

function finalNumber(answer: string, numbers: readonly number[]): number | undefined {
  for (const pattern of FINAL_MARKERS) {
    const match = pattern.exec(answer);
    if (match?.[1]) return parseNumber(match[1]);
  }
  return numbers[numbers.length - 1];
}

function numbersIn(text: string): number[] {
  const out: number[] = [];
  for (const match of text.matchAll(NUMBER)) {
    const value = parseNumber(match[0]);
    if (Number.isFinite(value)) out.push(value);
  }
  return out;
}

function parseNumber(text: string): number {
  return Number(text.replaceAll(",", ""));
}

function sameNumber(a: number, b: number): boolean {
  return Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(b));
}

function formatNumber(value: number): string {
  return Number.isInteger(value) ? String(value) : String(Number(value.toFixed(6)));
}
