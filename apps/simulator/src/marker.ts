/**
 * The per-request control marker `[[sim key=value ...]]`. Tests put it in any message to make one
 * request fail, hang, slow down or look hard, without reconfiguring the simulator. The marker is
 * stripped before the text is used, so it never shows up in answers or token counts.
 */
import { z } from "zod";
import { difficultyLevels } from "./difficulty.ts";
import { type FaultKind, faultKinds } from "./fault-kinds.ts";
import { type Validated, validate } from "./validation.ts";

/** What a marker asks for, after validation. */
export interface SimDirectives {
  fault?: FaultKind;
  /** Seconds for `retry-after` on 429/503/529. */
  retryAfterS?: number;
  /** Milliseconds for `retry-after-ms`; the header is only sent when this is given. */
  retryAfterMs?: number;
  /** The fault applies to the first N requests with the same content only. */
  times?: number;
  /** Sent as `x-should-retry` with the fault answer. */
  shouldRetry?: boolean;
  difficulty?: number;
  /** Fixed total latency, not scaled by `latencyScale`. */
  latencyMs?: number;
  confidence?: number;
  /** Delay between chunks for `slow_stream`, not scaled by `latencyScale`. */
  chunkDelayMs?: number;
}

/** The marker's keys as written in the text (snake_case), for {@link simMarker}. */
export interface SimMarkerInput {
  fault?: FaultKind;
  retry_after?: number;
  retry_after_ms?: number;
  times?: number;
  should_retry?: boolean;
  difficulty?: keyof typeof difficultyLevels | number;
  latency_ms?: number;
  confidence?: number;
  chunk_delay_ms?: number;
}

const nonNegative = z.coerce.number().min(0);

const markerSchema = z
  .strictObject({
    fault: z.enum(faultKinds).optional(),
    retry_after: nonNegative.optional(),
    retry_after_ms: nonNegative.optional(),
    times: z.coerce.number().int().min(0).optional(),
    should_retry: z
      .enum(["true", "false"])
      .transform((value) => value === "true")
      .optional(),
    difficulty: z
      .union([
        z.enum(["easy", "medium", "hard"]).transform((level) => difficultyLevels[level]),
        z.coerce.number().min(0).max(1),
      ])
      .optional(),
    latency_ms: nonNegative.optional(),
    confidence: z.coerce.number().min(0).max(1).optional(),
    chunk_delay_ms: nonNegative.optional(),
  })
  .transform(
    (raw): SimDirectives => ({
      fault: raw.fault,
      retryAfterS: raw.retry_after,
      retryAfterMs: raw.retry_after_ms,
      times: raw.times,
      shouldRetry: raw.should_retry,
      difficulty: raw.difficulty,
      latencyMs: raw.latency_ms,
      confidence: raw.confidence,
      chunkDelayMs: raw.chunk_delay_ms,
    }),
  );

const markerPattern = /\[\[sim(?:\s+([^\]]*))?\]\]/g;

/** A text with its markers removed, and the key/value pairs they carried (later ones win). */
export interface StrippedText {
  text: string;
  pairs: Record<string, string>;
  found: boolean;
}

/** Removes every `[[sim ...]]` from `text` and collects its pairs. */
export function stripMarkers(text: string): StrippedText {
  const pairs: Record<string, string> = {};
  let found = false;
  const stripped = text.replace(markerPattern, (_match, body: string | undefined) => {
    found = true;
    for (const pair of (body ?? "").trim().split(/\s+/)) {
      if (pair.length === 0) continue;
      const equals = pair.indexOf("=");
      if (equals <= 0) pairs[pair] = "";
      else pairs[pair.slice(0, equals)] = pair.slice(equals + 1);
    }
    return "";
  });
  if (!found) return { text, pairs, found };
  // Markers are usually glued to a prompt with a space; don't leave doubled or edge whitespace behind.
  return { text: stripped.replace(/[ \t]{2,}/g, " ").trim(), pairs, found };
}

/** Validates the collected pairs; unknown keys and bad values are errors so typos surface in tests. */
export function parseDirectives(pairs: Record<string, string>): Validated<SimDirectives> {
  const result = validate(markerSchema, pairs);
  if (result.ok) return result;
  return { ok: false, message: `invalid [[sim]] marker: ${result.message}`, param: null };
}

/**
 * Builds a marker to embed in a prompt.
 *
 * @example
 * simMarker({ fault: "429", retry_after: 2, times: 1 }) // "[[sim fault=429 retry_after=2 times=1]]"
 */
export function simMarker(input: SimMarkerInput): string {
  const parts = Object.entries(input)
    .filter(([, value]) => value !== undefined)
    .map(([key, value]) => `${key}=${String(value)}`);
  return `[[sim${parts.map((part) => ` ${part}`).join("")}]]`;
}
