import { countTokens } from "@llmr/routing";

/** One part of a long text: where it is in the original and how many tokens it has. */
export interface TextPart {
  text: string;
  tokens: number;
  /** Offsets of the part in the original text (the overlap makes parts share characters). */
  start: number;
  end: number;
}

export interface SplitOptions {
  /** Most tokens (o200k) in one part. */
  maxTokens: number;
  /** About this many tokens at the end of a part start the next one again (whole sentences). */
  overlapTokens: number;
}

/** How strong a boundary is after a unit: a part prefers to end at the strongest one it can. */
const Boundary = { Word: 0, Sentence: 1, Line: 2, Paragraph: 3 } as const;
type Boundary = (typeof Boundary)[keyof typeof Boundary];

interface Unit {
  start: number;
  end: number;
  tokens: number;
  /** The boundary right after this unit. */
  after: Boundary;
}

/** A part ends at its strongest boundary among the last 40% of what would fit. */
const CUT_SEARCH_SHARE = 0.4;

/**
 * Splits `text` into parts of at most `maxTokens` tokens, cut at paragraph breaks where it can,
 * else at line breaks (a transcript's turns), else between sentences, else between words (and,
 * for a "word" longer than a part, inside it). Each part after the first starts with the last
 * sentences of the one before, up to `overlapTokens`, so what is said across a cut reaches a
 * part whole. A text that fits comes back as one part.
 *
 * @example
 * splitText(transcript, { maxTokens: 6000, overlapTokens: 200 }).length; // 5 for a 27k-token meeting
 */
export function splitText(text: string, options: SplitOptions): TextPart[] {
  const maxTokens = Math.max(8, Math.floor(options.maxTokens));
  const overlap = Math.max(0, Math.min(options.overlapTokens, Math.floor(maxTokens / 2)));
  const total = countTokens(text);
  if (total <= maxTokens) return [{ text, tokens: total, start: 0, end: text.length }];

  const units = unitsOf(text, Math.max(1, Math.floor(maxTokens / 4)));
  const parts: TextPart[] = [];
  let next = 0; // first unit not yet in any part
  let previousStart = 0;
  while (next < units.length) {
    // The overlap: whole units from the end of the previous part, up to `overlap` tokens.
    let first = next;
    if (parts.length > 0) {
      let repeated = 0;
      while (first - 1 > previousStart && repeated + unitAt(units, first - 1).tokens <= overlap) {
        first -= 1;
        repeated += unitAt(units, first).tokens;
      }
    }
    let end = first;
    let tokens = 0;
    while (end < units.length && tokens + unitAt(units, end).tokens <= maxTokens) {
      tokens += unitAt(units, end).tokens;
      end += 1;
    }
    // Always some new text, even when the repeated units filled the part (a text of huge units).
    if (end <= next) end = next + 1;
    else if (end < units.length) end = bestCut(units, first, next, end, tokens);
    // Token counts of units add up to within a few tokens of the whole's; never exceed the limit.
    let part = partOf(text, units, first, end);
    while (part.tokens > maxTokens && end - 1 > next) {
      end -= 1;
      part = partOf(text, units, first, end);
    }
    parts.push(part);
    previousStart = first;
    next = end;
  }
  return parts;
}

/** Where to end a part of units [first, end): the latest of the strongest boundaries near its end. */
function bestCut(units: readonly Unit[], first: number, fresh: number, end: number, tokens: number): number {
  const floor = tokens * (1 - CUT_SEARCH_SHARE);
  let best = end;
  let bestStrength = -1;
  let running = tokens;
  for (let cut = end; cut > fresh; cut--) {
    // `cut` ends the part after unit cut - 1; `running` is the part's tokens then.
    if (running < floor) break;
    const strength = unitAt(units, cut - 1).after;
    if (strength > bestStrength) {
      best = cut;
      bestStrength = strength;
      if (strength === Boundary.Paragraph) break;
    }
    running -= unitAt(units, cut - 1).tokens;
  }
  return Math.max(best, Math.min(fresh + 1, end), first + 1);
}

function partOf(text: string, units: readonly Unit[], first: number, end: number): TextPart {
  const start = unitAt(units, first).start;
  const stop = unitAt(units, end - 1).end;
  const slice = text.slice(start, stop).trimEnd();
  return { text: slice, tokens: countTokens(slice), start, end: start + slice.length };
}

/** The text as units no longer than `maxUnitTokens`, each with the boundary that follows it. */
function unitsOf(text: string, maxUnitTokens: number): Unit[] {
  const units: Unit[] = [];
  for (const [start, end, after] of pieces(text, 0, text.length, /\n[ \t]*\n\s*/g, Boundary.Paragraph)) {
    for (const [lineStart, lineEnd, lineAfter] of pieces(text, start, end, /\n\s*/g, Boundary.Line, after)) {
      for (const [s, e, a] of pieces(
        text,
        lineStart,
        lineEnd,
        /(?<=[.!?…])\s+/g,
        Boundary.Sentence,
        lineAfter,
      )) {
        pushBounded(units, text, s, e, a, maxUnitTokens);
      }
    }
  }
  return units;
}

/**
 * Cuts text[start, end) after each match of `separator` (the separator stays with the piece
 * before it); the last piece gets `lastAfter`, the others `after`.
 */
function pieces(
  text: string,
  start: number,
  end: number,
  separator: RegExp,
  after: Boundary,
  lastAfter: Boundary = after,
): Array<[number, number, Boundary]> {
  const out: Array<[number, number, Boundary]> = [];
  const slice = text.slice(start, end);
  let from = 0;
  for (const match of slice.matchAll(separator)) {
    const cut = match.index + match[0].length;
    if (cut >= slice.length) break;
    if (match.index > from) out.push([start + from, start + cut, after]);
    from = cut;
  }
  if (from < slice.length) out.push([start + from, end, lastAfter]);
  return out;
}

/** Adds text[start, end) as one unit, or as word groups (or character runs) when it is too long. */
function pushBounded(
  units: Unit[],
  text: string,
  start: number,
  end: number,
  after: Boundary,
  maxUnitTokens: number,
): void {
  const tokens = countTokens(text.slice(start, end));
  if (tokens <= maxUnitTokens) {
    units.push({ start, end, tokens, after });
    return;
  }
  const words = pieces(text, start, end, /\s+/g, Boundary.Word, after);
  if (words.length > 1) {
    let groupStart = start;
    let groupTokens = 0;
    for (const [wordStart, wordEnd] of words) {
      const wordTokens = countTokens(text.slice(wordStart, wordEnd));
      if (groupTokens > 0 && groupTokens + wordTokens > maxUnitTokens) {
        units.push({ start: groupStart, end: wordStart, tokens: groupTokens, after: Boundary.Word });
        groupStart = wordStart;
        groupTokens = 0;
      }
      if (wordTokens > maxUnitTokens) {
        pushBounded(units, text, wordStart, wordEnd, Boundary.Word, maxUnitTokens);
        groupStart = wordEnd;
        continue;
      }
      groupTokens += wordTokens;
    }
    if (groupStart < end)
      units.push({ start: groupStart, end, tokens: countTokens(text.slice(groupStart, end)), after });
    else if (units.length > 0) unitAt(units, units.length - 1).after = after;
    return;
  }
  // One "word" longer than a unit (a URL, base64, a language without spaces): cut by characters.
  const chars = Math.max(1, Math.floor(((end - start) * maxUnitTokens) / tokens));
  for (let at = start; at < end; at += chars) {
    const stop = Math.min(end, at + chars);
    units.push({
      start: at,
      end: stop,
      tokens: countTokens(text.slice(at, stop)),
      after: stop === end ? after : Boundary.Word,
    });
  }
}

function unitAt(units: readonly Unit[], index: number): Unit {
  const unit = units[index];
  if (!unit) throw new Error(`split-text: no unit ${index}`);
  return unit;
}
