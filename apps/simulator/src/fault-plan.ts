/**
 * Decides whether a request fails and how: a marker's `fault=` wins (for its first `times=` requests),
 * otherwise the configured probabilities are drawn. The draw is seeded by the request's content and
 * how many times that content was seen, so a retried request gets a fresh but reproducible chance,
 * independent of how concurrent requests interleave.
 */
import { type FaultKind, type FaultRates, faultKinds } from "./fault-kinds.ts";
import type { SimDirectives } from "./marker.ts";
import { unitFromParts } from "./rng.ts";

/** `retry-after` of 429/503/529 answers when the marker gives none. */
export const defaultRetryAfterS = 1;
/** Delay between chunks of `slow_stream` when the marker gives none. */
export const defaultChunkDelayMs = 200;

export interface FaultDecision {
  kind: FaultKind;
  /** From the marker, or by probability. */
  source: "marker" | "probability";
  retryAfterS: number;
  retryAfterMs?: number;
  shouldRetry?: boolean;
  chunkDelayMs: number;
}

export interface FaultInput {
  directives: SimDirectives;
  /** How many earlier requests had the same content (0 for the first). */
  occurrence: number;
  rates: FaultRates | undefined;
  seed: number;
  /** Hash of the request's raw content, markers included. */
  contentKey: string;
}

export function decideFault(input: FaultInput): FaultDecision | undefined {
  const { directives } = input;
  const params = {
    retryAfterS: directives.retryAfterS ?? defaultRetryAfterS,
    retryAfterMs: directives.retryAfterMs,
    shouldRetry: directives.shouldRetry,
    chunkDelayMs: directives.chunkDelayMs ?? defaultChunkDelayMs,
  };
  if (
    directives.fault !== undefined &&
    (directives.times === undefined || input.occurrence < directives.times)
  ) {
    return { kind: directives.fault, source: "marker", ...params };
  }
  const kind = drawFault(input.rates, unitFromParts(input.seed, "fault", input.contentKey, input.occurrence));
  return kind === undefined ? undefined : { kind, source: "probability", ...params };
}

/** Walks the cumulative probabilities in a fixed order, so the same draw always picks the same kind. */
export function drawFault(rates: FaultRates | undefined, draw: number): FaultKind | undefined {
  if (!rates) return undefined;
  let cumulative = 0;
  for (const kind of faultKinds) {
    cumulative += rates[kind] ?? 0;
    if (draw < cumulative) return kind;
  }
  return undefined;
}
