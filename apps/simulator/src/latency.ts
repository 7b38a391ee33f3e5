/**
 * When each part of an answer is sent: the time to first token, then a delay before each token.
 * Streams are paced by it chunk by chunk; non-stream answers wait for the total.
 */
import type { SimulatedModel } from "./model-table.ts";
import type { Rng } from "./rng.ts";

export interface LatencyPlan {
  /** Before the first byte of the answer. */
  ttftMs: number;
  /** Before token i is sent (entry 0 is the gap between the stream's opening and the first token). */
  interTokenMs: number[];
}

export interface LatencyInput {
  model: SimulatedModel;
  outputTokens: number;
  /** Multiplies the model's latency; 0 makes it instant. */
  latencyScale: number;
  rng: Rng;
  /** Marker `latency_ms`: the whole answer takes this long, whatever the scale. */
  fixedTotalMs?: number;
  /** Fault `slow_stream`: this long before every token, whatever the scale. */
  chunkDelayMs?: number;
}

/** Share of a fixed total latency spent before the first token. */
const fixedTtftShare = 0.3;
/** Per-token time varies by ± this share around the model's mean. */
const perTokenJitterShare = 0.25;

export function planLatency(input: LatencyInput): LatencyPlan {
  const { model, outputTokens, latencyScale, rng } = input;
  let plan: LatencyPlan;
  if (input.fixedTotalMs !== undefined) {
    const ttftMs = outputTokens === 0 ? input.fixedTotalMs : input.fixedTotalMs * fixedTtftShare;
    const perTokenMs = outputTokens === 0 ? 0 : (input.fixedTotalMs - ttftMs) / outputTokens;
    plan = { ttftMs, interTokenMs: Array.from({ length: outputTokens }, () => perTokenMs) };
  } else {
    const jitterMs = (rng.next() * 2 - 1) * model.jitterMs;
    const ttftMs = Math.max(0, (model.ttftMs + jitterMs) * latencyScale);
    const interTokenMs = Array.from({ length: outputTokens }, (_unused, index) =>
      index === 0 ? 0 : model.perTokenMs * latencyScale * (1 + perTokenJitterShare * (rng.next() * 2 - 1)),
    );
    plan = { ttftMs, interTokenMs };
  }
  if (input.chunkDelayMs !== undefined) {
    const delayMs = input.chunkDelayMs;
    plan = { ttftMs: plan.ttftMs, interTokenMs: plan.interTokenMs.map(() => delayMs) };
  }
  return plan;
}

/** How long a non-stream answer takes in all. */
export function totalLatencyMs(plan: LatencyPlan): number {
  return plan.interTokenMs.reduce((sum, delayMs) => sum + delayMs, plan.ttftMs);
}
