import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DEFAULT_CONFIG_PATH } from "@llmr/config";

/**
 * Writes the shipped default config, on the test's own Redis key prefix and with `extraYaml`
 * appended (top-level sections the default lacks), to a temp file for `ROUTER_CONFIG`.
 */
export function writeRouterConfig(keyPrefix: string, extraYaml = ""): string {
  const path = join(mkdtempSync(join(tmpdir(), "llmr-e2e-")), "router.yaml");
  const text = `${readFileSync(DEFAULT_CONFIG_PATH, "utf8")}\nredis:\n  key_prefix: ${keyPrefix}\n${extraYaml}`;
  writeFileSync(path, text);
  return path;
}
