/**
 * Extractive summaries: the leading sentence of each paragraph of the input. Crude, but deterministic,
 * always on-topic and always clearly shorter than the input, which is what a summarisation pipeline
 * under test needs to see.
 */
import { countTokens } from "./tokenizer.ts";

/** A summary never exceeds this share of the input's tokens. */
const maxShareOfInput = 0.6;
/** A paragraph this short that mentions summarising is the instruction, not the text. */
const maxInstructionWords = 30;
const hedgePrefix = "I'm not sure, but the main points seem to be: ";

export interface SummaryOptions {
  /** The answer's token budget; sentences are chosen to fit it when they can. */
  maxTokens: number;
  /** Hedged summaries say so and keep only the first half of the points. */
  hedged: boolean;
}

/** Summarises `input` (a user message that may start with the instruction itself). */
export function extractiveSummary(input: string, options: SummaryOptions): string {
  const paragraphs = textParagraphs(input);
  const turns = paragraphs.length === 1 ? transcriptTurns(input) : [];
  const sentences =
    turns.length > 0
      ? longestTurns(turns, Math.max(minTranscriptSummaryTokens, countTokens(input) * transcriptShare))
      : paragraphs.length === 1
        ? leadingSentences(paragraphs[0] ?? "", 3)
        : leadingOfEach(paragraphs, countTokens(input));
  const points = options.hedged
    ? sentences.slice(0, Math.max(1, Math.ceil(sentences.length / 2)))
    : sentences;
  const prefix = options.hedged ? hedgePrefix : "";

  const inputTokens = countTokens(input);
  const shareCap = Math.max(1, Math.floor(inputTokens * maxShareOfInput));
  const budget = Math.min(options.maxTokens, shareCap) - countTokens(prefix);
  const chosen: string[] = [];
  let used = 0;
  for (const sentence of points) {
    const cost = countTokens(` ${sentence}`);
    if (chosen.length > 0 && used + cost > budget) break;
    chosen.push(sentence);
    used += cost;
  }
  let summary = chosen.join(" ");
  // A single sentence longer than the share cap is shortened by words; one only longer than the
  // token limit is left whole, so the caller's cut reports `length` like a real model would.
  if (countTokens(prefix + summary) > shareCap) summary = `${cutWords(summary, shareCap / 2)}…`;
  return prefix + summary;
}

/** A transcript's summary keeps its most substantial turns, about this share of its tokens… */
const transcriptShare = 0.1;
/** …and at least this many tokens of them. */
const minTranscriptSummaryTokens = 40;
/** A text of one paragraph with at least this many lines is a transcript (one turn per line). */
const minTranscriptLines = 8;

/**
 * The lines of a transcript-like input (one paragraph of many lines: a meeting's turns), without
 * the instruction; empty when the input is not one.
 */
function transcriptTurns(input: string): string[] {
  const lines = input
    .split("\n")
    .map((line) => line.trim())
    .filter(
      (line) => line.length > 0 && !(/summar/i.test(line) && line.split(" ").length < maxInstructionWords),
    );
  return lines.length >= minTranscriptLines ? lines : [];
}

/** The longest turns (the ones that say most), up to `budget` tokens, in their original order. */
function longestTurns(turns: readonly string[], budget: number): string[] {
  const byLength = turns
    .map((turn, index) => ({ turn, index }))
    .sort((a, b) => b.turn.length - a.turn.length);
  const chosen: Array<{ turn: string; index: number }> = [];
  let used = 0;
  for (const candidate of byLength) {
    const cost = countTokens(` ${candidate.turn}`);
    if (chosen.length > 0 && used + cost > budget) break;
    chosen.push(candidate);
    used += cost;
  }
  return chosen.sort((a, b) => a.index - b.index).map((candidate) => candidate.turn);
}

/** A summary of several paragraphs takes more than their first sentences below this share of the input… */
const shortestShareOfParagraphs = 0.05;
/** …up to this many sentences of each. */
const mostSentencesPerParagraph = 3;

/**
 * The leading sentence of each paragraph, or of their first few sentences when that alone would
 * be implausibly short (paragraphs that open with "Thank you." or "OK.", as the summaries of a
 * meeting's parts often do).
 */
function leadingOfEach(paragraphs: readonly string[], inputTokens: number): string[] {
  const firsts = paragraphs.map((paragraph) => leadingSentences(paragraph, 1)[0] ?? paragraph);
  if (countTokens(firsts.join(" ")) >= inputTokens * shortestShareOfParagraphs) return firsts;
  return paragraphs.flatMap((paragraph) => leadingSentences(paragraph, mostSentencesPerParagraph));
}

/** The paragraphs that are the text to summarise, without the instruction around them. */
function textParagraphs(input: string): string[] {
  const paragraphs: string[] = [];
  for (const raw of input.split(/\n\s*\n/)) {
    const paragraph = raw.trim().replace(/\s+/g, " ");
    const mentionsSummary = /summar/i.test(paragraph);
    // "Summarize this: The text…" keeps the text after the colon.
    const withoutPrefix = mentionsSummary ? paragraph.replace(instructionPrefix, "") : paragraph;
    if (withoutPrefix !== paragraph) {
      if (withoutPrefix.length > 0) paragraphs.push(withoutPrefix);
      continue;
    }
    // A short paragraph about summarising is the instruction itself ("Please summarize the article.").
    const isInstruction = mentionsSummary && paragraph.split(" ").length < maxInstructionWords;
    if (paragraph.length > 0 && !isInstruction) paragraphs.push(paragraph);
  }
  return paragraphs.length > 0 ? paragraphs : ["There is nothing to summarise."];
}

const instructionPrefix = /^[^:]*summar[^:]*:\s*/i;

function leadingSentences(paragraph: string, count: number): string[] {
  const sentences = paragraph.split(/(?<=[.!?])\s+/).filter((sentence) => sentence.length > 0);
  return sentences.slice(0, count);
}

function cutWords(text: string, maxTokens: number): string {
  const words = text.split(/\s+/);
  let result = "";
  for (const word of words) {
    const next = result.length === 0 ? word : `${result} ${word}`;
    if (result.length > 0 && countTokens(next) > maxTokens) break;
    result = next;
  }
  return result;
}
