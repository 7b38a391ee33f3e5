import { randomBytes } from "node:crypto";
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";

/** The development credentials `npm start` hands to the API. */
export interface DevCredentials {
  /** Name under which the key appears in logs and job records. */
  apiKeyName: string;
  /** `llmr_dev_` + 32 hex characters. */
  apiKey: string;
  /** The operator token: logs in to the dashboard at /admin/login. */
  operatorToken: string;
}

const API_KEY_PATTERN = /^llmr_dev_[0-9a-f]{32}$/;

/**
 * Reads the development credentials from `path`, creating them on first use. They are kept
 * (mode 0600, under the git-ignored .data/) so that a restart doesn't invalidate the key a
 * developer pasted into curl or a client a minute ago.
 *
 * @example
 * ```ts
 * const { apiKey } = loadOrCreateDevCredentials(".data/dev-credentials.json");
 * ```
 */
export function loadOrCreateDevCredentials(path: string): DevCredentials & { created: boolean } {
  const existing = readCredentials(path);
  if (existing !== undefined) {
    // Keep it private even if something loosened the mode since it was written.
    chmodSync(path, 0o600);
    return { ...existing, created: false };
  }
  const credentials: DevCredentials = {
    apiKeyName: "dev",
    apiKey: `llmr_dev_${randomBytes(16).toString("hex")}`,
    operatorToken: randomBytes(24).toString("hex"),
  };
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, `${JSON.stringify(credentials, null, 2)}\n`, { mode: 0o600 });
  chmodSync(path, 0o600);
  return { ...credentials, created: true };
}

/** The stored credentials, or `undefined` if the file is missing or not ours (then it is rewritten). */
function readCredentials(path: string): DevCredentials | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, "utf8"));
  } catch {
    return undefined;
  }
  if (typeof parsed !== "object" || parsed === null) return undefined;
  const { apiKeyName, apiKey, operatorToken } = parsed as Record<string, unknown>;
  if (typeof apiKeyName !== "string" || !/^[\w-]+$/.test(apiKeyName)) return undefined;
  if (typeof apiKey !== "string" || !API_KEY_PATTERN.test(apiKey)) return undefined;
  if (typeof operatorToken !== "string" || operatorToken.length < 16) return undefined;
  return { apiKeyName, apiKey, operatorToken };
}
