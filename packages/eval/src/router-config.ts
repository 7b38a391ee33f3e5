/**
 * Generates the router config of an evaluation run from the eval config: one `simulated` provider
 * (the replay simulator, OpenAI protocol), one model per tier at the eval's prices, a task for every
 * task the records name starting at the cheapest tier, no routing rules (every job starts cheap
 * unless it pins a tier), and a Redis key prefix of its own. The result is validated with the
 * router's own loader before any process starts, so a bad setting fails fast, by path.
 */
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { validateConfig } from "@llmr/config";
import { stringify } from "yaml";
import type { EvalConfig } from "./eval-config.ts";
import { EvaluationError } from "./evaluation-error.ts";

/** Provider id of the replay simulator in the generated config. */
export const replayProviderId = "replay";

/** A call answers in milliseconds at latency scale 0; these limits only catch a wedged process. */
const softLimitMs = 30_000;
const hardLimitMs = 120_000;
/** Finished jobs are only read back by the harness, right away. */
const retentionS = 3600;

export interface RouterConfigInput {
  evalConfig: EvalConfig;
  /** Tasks the records name (at least one). */
  tasks: readonly string[];
  simulatorUrl: string;
  keyPrefix: string;
  /** Overrides `tasks.<task>.escalation.min_confidence` of every task (the sweep). */
  minConfidence?: number;
  /** Interactive jobs each tier's worker runs at once: as many as the harness keeps in flight. */
  workerConcurrency: number;
}

export function routerConfigDocument(input: RouterConfigInput): Record<string, unknown> {
  const { evalConfig } = input;
  const cheapest = evalConfig.tiers[0];
  if (!cheapest) throw new EvaluationError("the eval config has no tiers");
  const limits = { soft_ms: softLimitMs, hard_ms: hardLimitMs };
  const tasks = Object.fromEntries(
    input.tasks.map((task) => {
      const settings = evalConfig.taskSettings(task);
      const escalation = isObject(settings.escalation) ? settings.escalation : {};
      return [
        task,
        {
          default_tier: cheapest.name,
          ...settings,
          ...(input.minConfidence === undefined
            ? {}
            : { escalation: { ...escalation, min_confidence: input.minConfidence } }),
        },
      ];
    }),
  );
  return {
    version: 1,
    simulator: { base_url: input.simulatorUrl },
    redis: { key_prefix: input.keyPrefix },
    // The harness is one API key driving the whole workload: its per-key limit must not be the bottleneck.
    api: { rate_limit: { requests_per_minute: 6_000_000, burst: 100_000 } },
    providers: {
      [replayProviderId]: { kind: "simulated", protocol: "openai", base_url: input.simulatorUrl },
    },
    models: Object.fromEntries(
      evalConfig.tiers.map((tier) => [
        tier.model,
        {
          provider: replayProviderId,
          model_id: tier.model,
          price_per_mtok_usd: tier.pricePerMTokUsd,
          context_window: tier.contextWindow,
          // Recorded answers carry no token logprobs: confidence must come from the text.
          capabilities: { json_mode: false, logprobs: false },
        },
      ]),
    ),
    tiers: evalConfig.tiers.map((tier) => ({
      name: tier.name,
      deployments: [{ model: tier.model }],
      concurrency: { interactive: input.workerConcurrency, batch: 1 },
      time_limits: { interactive: limits, batch: limits },
    })),
    tasks,
    routing: { rules: [] },
    jobs: { default_task: input.tasks[0], max_attempts: 3, retention_s: retentionS },
  };
}

/** Validates the document with the router's loader and writes it as YAML; returns the path. */
export async function writeRouterConfig(dir: string, name: string, document: object): Promise<string> {
  const path = join(dir, `${name}.yaml`);
  try {
    validateConfig(document, path, { requireProviderKeys: false });
  } catch (error) {
    throw new EvaluationError(`the generated router config is invalid: ${String(error)}`, { cause: error });
  }
  await writeFile(path, stringify(document));
  return path;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
