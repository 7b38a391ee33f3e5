/**
 * The simulator's options, validated with one zod schema whether they come from code
 * (`startSimulator(options)`) or from the YAML file named by `SIMULATOR_CONFIG`.
 */
import { z } from "zod";
import { type FaultRates, faultKinds } from "./fault-kinds.ts";
import type { SimulatedModel } from "./model-table.ts";
import { validate } from "./validation.ts";

export interface SimulatorOptions {
  /** Interface to listen on. @defaultValue "127.0.0.1" */
  host?: string;
  /** Port to listen on; 0 picks a free one (read it back from `RunningSimulator.port`). @defaultValue 0 */
  port?: number;
  /** Seed of every simulated decision: same seed and request, same answer. @defaultValue 42 */
  seed?: number;
  /** Multiplies every model's latency; 0 answers instantly (what tests use). @defaultValue 1 */
  latencyScale?: number;
  /** Models to add, or fields to override on built-in ones (new ids start from `sim-medium`). @defaultValue {} */
  models?: Record<string, Partial<SimulatedModel>>;
  /** Probability per request of each fault kind; the sum must not exceed 1. @defaultValue {} (no faults) */
  faults?: FaultRates;
  /** When set, only these API keys are accepted (others get 401); otherwise any non-empty key is. @defaultValue undefined */
  apiKeys?: string[];
  /**
   * Replay mode: JSONL files of recorded answers (`{"messages", "responses": {"<model>": {"text"}}}` per
   * line), read at start. A request whose turns match a record is answered, for a model that record
   * answered, with the recorded text; models only the files know are added to the model table.
   * @defaultValue undefined (every answer is generated)
   */
  replay?: { files: string[] };
}

/** Options with defaults applied. */
export interface ResolvedOptions {
  host: string;
  port: number;
  seed: number;
  latencyScale: number;
  models: Record<string, Partial<SimulatedModel>>;
  faults: FaultRates;
  apiKeys: ReadonlySet<string> | undefined;
  /** Replay files to read at start; empty when replay mode is off. */
  replayFiles: readonly string[];
}

const probability = z.number().min(0).max(1);

const faultRatesSchema = z
  .partialRecord(z.enum(faultKinds), probability)
  .refine((rates) => Object.values(rates).reduce<number>((sum, rate) => sum + (rate ?? 0), 0) <= 1, {
    message: "fault probabilities must sum to at most 1",
  });

const modelSchema = z.strictObject({
  capability: probability.optional(),
  ttftMs: z.number().min(0).optional(),
  perTokenMs: z.number().min(0).optional(),
  jitterMs: z.number().min(0).optional(),
  rpm: z.number().int().positive().optional(),
  tpm: z.number().int().positive().optional(),
  contextWindowTokens: z.number().int().positive().optional(),
  maxOutputTokens: z.number().int().positive().optional(),
  ownedBy: z.string().min(1).optional(),
  faults: faultRatesSchema.optional(),
});

/** Accepts exactly {@link SimulatorOptions}; unknown keys are errors so config typos surface. */
export const simulatorOptionsSchema: z.ZodType<SimulatorOptions> = z.strictObject({
  host: z.string().min(1).optional(),
  port: z.number().int().min(0).max(65_535).optional(),
  seed: z.number().int().optional(),
  latencyScale: z.number().min(0).optional(),
  models: z.record(z.string().min(1), modelSchema).optional(),
  faults: faultRatesSchema.optional(),
  apiKeys: z.array(z.string().min(1)).optional(),
  replay: z.strictObject({ files: z.array(z.string().min(1)).min(1) }).optional(),
});

/** Validates options and applies defaults; throws a `RangeError` naming the bad path. */
export function resolveOptions(options: SimulatorOptions = {}): ResolvedOptions {
  const result = validate(simulatorOptionsSchema, options);
  if (!result.ok) throw new RangeError(`invalid simulator options: ${result.message}`);
  const value = result.value;
  return {
    host: value.host ?? "127.0.0.1",
    port: value.port ?? 0,
    seed: value.seed ?? 42,
    latencyScale: value.latencyScale ?? 1,
    models: value.models ?? {},
    faults: value.faults ?? {},
    apiKeys: value.apiKeys ? new Set(value.apiKeys) : undefined,
    replayFiles: value.replay?.files ?? [],
  };
}
