import { readFileSync } from "node:fs";
import type { RouterConfig } from "@llmr/config";
import { DEFAULT_CONFIG_PATH, validateConfig } from "@llmr/config";
import { parse } from "yaml";

type Doc = Record<string, unknown> & {
  tiers: Array<Record<string, unknown>>;
  jobs?: Record<string, unknown>;
};

/**
 * The shipped default config, pointed at a test's simulator and Redis prefix, with every vendor
 * simulated. `edit` may change the parsed document before validation.
 */
export function routerTestConfig(options: {
  simulatorUrl: string;
  keyPrefix: string;
  edit?: (doc: Doc) => void;
  /** Extra environment (API keys, base URLs) for the config's `${VAR}`s and key lookups. */
  env?: Record<string, string>;
}): RouterConfig {
  const doc = parse(readFileSync(DEFAULT_CONFIG_PATH, "utf8")) as Doc;
  doc.redis = { key_prefix: options.keyPrefix };
  options.edit?.(doc);
  return validateConfig(doc, "test", { env: { SIMULATOR_URL: options.simulatorUrl, ...options.env } });
}
