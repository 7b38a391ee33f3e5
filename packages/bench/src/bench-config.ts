import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { RouterConfig } from "@llmr/config";
import { DEFAULT_CONFIG_PATH, validateConfig } from "@llmr/config";
import { parse, stringify } from "yaml";

/** The shipped default config as a plain document, before validation. */
export type ConfigDoc = Record<string, unknown> & { tiers: Array<Record<string, unknown>> };

/** A limit far above anything a bench run reaches: the gates still run, they never bind. */
const UNBINDING_PER_MINUTE = 1_000_000_000;

/**
 * The shipped default config on a bench's own Redis prefix, changed only where a bench needs it:
 * the chat task never escalates (`min_confidence: 0`, so one job = one provider call, as in the
 * baseline), deployments' RPM/TPM budgets are still checked in Redis but never bind, and the
 * per-key API rate limit is out of reach (a load test would otherwise measure 429s).
 */
export function benchConfigDoc(keyPrefix: string): ConfigDoc {
  const doc = parse(readFileSync(DEFAULT_CONFIG_PATH, "utf8")) as ConfigDoc;
  doc.redis = { key_prefix: keyPrefix };
  const tasks = doc.tasks as Record<string, { escalation?: Record<string, unknown> }>;
  const chat = tasks.chat;
  if (chat) chat.escalation = { ...chat.escalation, min_confidence: 0 };
  for (const tier of doc.tiers) {
    const deployments = tier.deployments as Array<Record<string, unknown>>;
    for (const deployment of deployments) {
      deployment.rpm = UNBINDING_PER_MINUTE;
      deployment.tpm = UNBINDING_PER_MINUTE;
    }
  }
  doc.api = {
    ...(doc.api as Record<string, unknown> | undefined),
    rate_limit: { requests_per_minute: 100_000_000, burst: 1_000_000 },
  };
  return doc;
}

/** {@link benchConfigDoc} validated, with every vendor answered by the simulator at `simulatorUrl`. */
export function benchConfig(simulatorUrl: string, keyPrefix: string): RouterConfig {
  return validateConfig(benchConfigDoc(keyPrefix), "bench", { env: { SIMULATOR_URL: simulatorUrl } });
}

/**
 * Writes {@link benchConfigDoc} to a temp file for a child process's `ROUTER_CONFIG`, after
 * `change` (a scenario's own settings) edits the document.
 */
export function writeBenchConfigFile(
  keyPrefix: string,
  change: (doc: ConfigDoc) => void = () => undefined,
): string {
  const doc = benchConfigDoc(keyPrefix);
  change(doc);
  const path = join(mkdtempSync(join(tmpdir(), "llmr-bench-")), "router.yaml");
  writeFileSync(path, stringify(doc));
  return path;
}

/** The tier named `name` in a config document; throws when the shipped config has no such tier. */
export function tierOf(doc: ConfigDoc, name: string): Record<string, unknown> {
  const tier = doc.tiers.find((candidate) => candidate.name === name);
  if (!tier) throw new Error(`the default config has no tier "${name}"`);
  return tier;
}
