/**
 * The simulated models: how capable and how fast each one is. Numbers are rough impressions of the
 * real models' relative standing (cheap models low, flagship models high), not measurements; what
 * matters for the router is the ordering and the spread.
 */
import type { FaultRates } from "./fault-kinds.ts";

/** One simulated model. */
export interface SimulatedModel {
  /** Skill in [0, 1]; the model answers confidently when capability ≥ the request's difficulty. */
  capability: number;
  /** Time to first token before `latencyScale`. */
  ttftMs: number;
  /** Time per output token before `latencyScale`. */
  perTokenMs: number;
  /** Uniform ± jitter on the time to first token, drawn from the seeded generator. */
  jitterMs: number;
  /** Requests per minute; enforced over a sliding 60 s window when set. */
  rpm?: number;
  /** Tokens (input + requested max output) per minute; enforced over a sliding 60 s window when set. */
  tpm?: number;
  /** Longest accepted input; longer prompts get a 400 like the real APIs. */
  contextWindowTokens: number;
  /** Output cap used when a request gives no token limit (OpenAI's is optional). */
  maxOutputTokens: number;
  /** `owned_by` in `GET /v1/models`. */
  ownedBy: string;
  /** Per-model fault probabilities; replace the global `faults` option for this model when set. */
  faults?: FaultRates;
}

function openai(capability: number, ttftMs: number, perTokenMs: number, jitterMs: number): SimulatedModel {
  return {
    capability,
    ttftMs,
    perTokenMs,
    jitterMs,
    contextWindowTokens: 128_000,
    maxOutputTokens: 16_384,
    ownedBy: "openai",
  };
}

function anthropic(capability: number, ttftMs: number, perTokenMs: number, jitterMs: number): SimulatedModel {
  return {
    capability,
    ttftMs,
    perTokenMs,
    jitterMs,
    contextWindowTokens: 200_000,
    maxOutputTokens: 8_192,
    ownedBy: "anthropic",
  };
}

function generic(capability: number, ttftMs: number, perTokenMs: number, jitterMs: number): SimulatedModel {
  return {
    capability,
    ttftMs,
    perTokenMs,
    jitterMs,
    contextWindowTokens: 128_000,
    maxOutputTokens: 8_192,
    ownedBy: "llmr-simulator",
  };
}

/** The built-in table. Every model is served on both the OpenAI and the Anthropic endpoint. */
export const defaultModels: Readonly<Record<string, SimulatedModel>> = {
  "gpt-4.1-nano": openai(0.3, 250, 4, 60),
  "gpt-4o-mini": openai(0.42, 350, 8, 80),
  "gpt-4.1-mini": openai(0.55, 350, 7, 80),
  "gpt-5-mini": openai(0.7, 600, 8, 150),
  "gpt-4o": openai(0.72, 450, 12, 100),
  "gpt-4.1": openai(0.8, 500, 12, 120),
  "gpt-5": openai(0.92, 1200, 15, 300),
  "gpt-5.4-nano": openai(0.35, 300, 4, 60),
  "gpt-5.4-mini": openai(0.65, 450, 7, 100),
  "gpt-5.4": openai(0.88, 900, 12, 200),
  "gpt-5.5": openai(0.94, 1200, 15, 300),
  "claude-haiku-4-5": anthropic(0.6, 400, 6, 80),
  "claude-sonnet-4-5": anthropic(0.88, 700, 14, 150),
  "claude-opus-4-1": anthropic(0.93, 1100, 25, 250),
  "claude-sonnet-4-6": anthropic(0.89, 650, 12, 150),
  "claude-opus-4-5": anthropic(0.93, 1000, 20, 250),
  "claude-opus-4-6": anthropic(0.95, 1000, 20, 250),
  "sim-small": generic(0.3, 150, 3, 40),
  "sim-medium": generic(0.6, 300, 6, 60),
  "sim-large": generic(0.9, 600, 12, 120),
};

/** Template for models that options add without naming every field. */
const baseModelId = "sim-medium";

/** The default table with the option's additions and overrides merged in. */
export function buildModelTable(
  overrides: Readonly<Record<string, Partial<SimulatedModel>>> = {},
): Map<string, SimulatedModel> {
  const table = new Map<string, SimulatedModel>(Object.entries(defaultModels));
  const base = defaultModels[baseModelId] as SimulatedModel;
  for (const [id, override] of Object.entries(overrides)) {
    const existing = table.get(id) ?? base;
    table.set(id, { ...existing, ...withoutUndefined(override) });
  }
  return table;
}

function withoutUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, field]) => field !== undefined)) as Partial<T>;
}
