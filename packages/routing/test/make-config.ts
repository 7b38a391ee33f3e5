import { readFileSync } from "node:fs";
import type { RouterConfig, RouterConfigInput } from "@llmr/config";
import { DEFAULT_CONFIG_PATH, validateConfig } from "@llmr/config";
import { parse } from "yaml";

// The shipped default config, parsed once; each test edits its own copy.
const defaultDocument = parse(readFileSync(DEFAULT_CONFIG_PATH, "utf8")) as RouterConfigInput;

/**
 * A resolved config: the shipped default with `edit` applied to its YAML document, validated the
 * way the router validates it (no API keys in the env, so every vendor is simulated).
 *
 * @example
 * const config = makeConfig((doc) => { doc.routing = { rules: [{ name: "eu", when: { tenant: ["acme"] }, tier: "capable" }] }; });
 */
export function makeConfig(edit: (doc: RouterConfigInput) => void = () => {}): RouterConfig {
  const doc = structuredClone(defaultDocument);
  edit(doc);
  return validateConfig(doc, "<test>", { env: {} });
}
