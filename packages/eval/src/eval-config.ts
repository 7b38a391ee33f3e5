/**
 * The evaluation's own config file (`routing-eval.yaml`): which model serves each tier and at what
 * price, the settings of the tasks the replay records name, the default threshold sweep and the load.
 * From it the harness generates the router config (see `router-config.ts`).
 */
import { readFile } from "node:fs/promises";
import { parse as parseYaml } from "yaml";
import { z } from "zod";
import { EvaluationError } from "./evaluation-error.ts";

const Name = z.string().regex(/^[a-z0-9][a-z0-9._-]*$/i, "use letters, digits, '.', '_' or '-'");
const TaskSettings = z.record(z.string(), z.unknown());

const EvalConfigSchema = z.strictObject({
  /** Price of each model, per 1M tokens, as the router's `models.<name>.price_per_mtok_usd`. */
  models: z.record(
    Name,
    z.strictObject({
      price_per_mtok_usd: z.strictObject({ input: z.number().min(0), output: z.number().min(0) }),
      context_window: z.number().int().positive().default(128_000),
    }),
  ),
  /** Tiers, cheapest first, one model each (a replay record has one answer per model). */
  tiers: z.array(z.strictObject({ name: Name, model: Name })).min(1),
  /** Settings of every task the records name, as the router config's `tasks.<name>` (checks, escalation, …). */
  task: TaskSettings.default({}),
  /** Per-task settings, merged over `task`. */
  tasks: z.record(Name, TaskSettings).default({}),
  /** Confidence thresholds of the default sweep. */
  sweep: z.array(z.number().min(0).max(1)).default([]),
  /** Jobs in flight at once. */
  concurrency: z.number().int().min(1).default(32),
  /** Seed of the random-routing baseline. */
  seed: z.number().int().default(1),
});

export interface TierModel {
  name: string;
  model: string;
  pricePerMTokUsd: { input: number; output: number };
  contextWindow: number;
}

/** The eval config after validation, with each tier's model priced. */
export interface EvalConfig {
  /** Cheapest first. */
  tiers: TierModel[];
  /** The router-config settings of `task` (defaults merged with its own). */
  taskSettings(task: string): Record<string, unknown>;
  sweep: number[];
  concurrency: number;
  seed: number;
  /** Every model with a price, for `--models`. */
  prices: ReadonlyMap<string, { pricePerMTokUsd: { input: number; output: number }; contextWindow: number }>;
}

/** Validates a parsed eval config; `source` names it in errors. */
export function parseEvalConfig(raw: unknown, source: string): EvalConfig {
  const parsed = EvalConfigSchema.safeParse(raw);
  if (!parsed.success) {
    const lines = parsed.error.issues.map(
      (issue) => `  ${issue.path.join(".") || "(root)"}: ${issue.message}`,
    );
    throw new EvaluationError(`invalid eval config ${source}:\n${lines.join("\n")}`, { cause: parsed.error });
  }
  const doc = parsed.data;
  const prices = new Map(
    Object.entries(doc.models).map(([model, entry]) => [
      model,
      { pricePerMTokUsd: entry.price_per_mtok_usd, contextWindow: entry.context_window },
    ]),
  );
  const config: EvalConfig = {
    tiers: [],
    taskSettings: (task) => ({ ...doc.task, ...(doc.tasks[task] ?? {}) }),
    sweep: doc.sweep,
    concurrency: doc.concurrency,
    seed: doc.seed,
    prices,
  };
  return withTiers(
    config,
    doc.tiers.map((tier) => tier.model),
    doc.tiers.map((tier) => tier.name),
  );
}

export async function loadEvalConfig(path: string): Promise<EvalConfig> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    throw new EvaluationError(`cannot read eval config ${path}`, { cause: error });
  }
  return parseEvalConfig(parseYaml(text), path);
}

/**
 * The same config with other tier models (cheapest first), as `--models a,b` asks. Tiers are named
 * `fast`/`capable` for two models, `fast`/`standard`/`capable` for three, else `tier-1`… .
 */
export function withTiers(
  config: EvalConfig,
  models: readonly string[],
  names: readonly string[] = defaultTierNames(models.length),
): EvalConfig {
  if (models.length === 0) throw new EvaluationError("at least one tier model is needed");
  if (new Set(models).size !== models.length)
    throw new EvaluationError(`a model serves two tiers: ${models.join(", ")}`);
  const tiers = models.map((model, index): TierModel => {
    const price = config.prices.get(model);
    if (!price) {
      throw new EvaluationError(
        `no price for model "${model}": add it under models: in the eval config (price_per_mtok_usd)`,
      );
    }
    return { name: names[index] ?? `tier-${index + 1}`, model, ...price };
  });
  return { ...config, tiers };
}

function defaultTierNames(count: number): string[] {
  if (count === 1) return ["fast"];
  if (count === 2) return ["fast", "capable"];
  if (count === 3) return ["fast", "standard", "capable"];
  return Array.from({ length: count }, (_unused, index) => `tier-${index + 1}`);
}
