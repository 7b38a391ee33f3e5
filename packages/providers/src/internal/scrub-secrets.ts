/**
 * Secrets shorter than this are not scrubbed verbatim: they are placeholders for keyless local
 * servers (`ollama`, `none`, `sim`) and replacing them would mangle ordinary words in messages.
 * Real keys are far longer, and key-shaped strings are caught by the patterns below anyway.
 */
const minScrubbedSecretLength = 8;

const redacted = "[redacted]";

/**
 * Key-shaped substrings, whatever key is configured: vendors echo (partial) keys in 401 bodies,
 * and a proxy may echo a whole header back.
 */
const keyPatterns: readonly RegExp[] = [
  // OpenAI (`sk-`, `sk-proj-`) and Anthropic (`sk-ant-api03-`) keys, including masked ones (`sk-...****abcd`).
  /\bsk-[A-Za-z0-9_\-*.]{6,}/g,
  // `Authorization: Bearer <token>` echoed back by a proxy or an OpenAI-compatible server.
  /\b(Bearer\s+)[A-Za-z0-9_\-.~+/=*]{6,}/gi,
  // `x-api-key: <key>` / `api-key=<key>` echoed back.
  /\b((?:x-)?api[-_]?key["']?\s*[:=]\s*["']?)[A-Za-z0-9_\-.~+/=*]{6,}/gi,
];

/**
 * Removes API keys from a text meant for an error message: each configured secret verbatim, then
 * anything that looks like a key.
 */
export function scrubSecrets(text: string, secrets: readonly (string | undefined)[] = []): string {
  let scrubbed = text;
  for (const secret of secrets) {
    if (secret !== undefined && secret.length >= minScrubbedSecretLength) {
      scrubbed = scrubbed.split(secret).join(redacted);
    }
  }
  for (const pattern of keyPatterns) {
    scrubbed = scrubbed.replace(pattern, (_match, prefix: unknown) =>
      typeof prefix === "string" ? `${prefix}${redacted}` : redacted,
    );
  }
  return scrubbed;
}

/** How far down a `cause` chain we scrub; real chains are 2–3 deep (ours → SDK → undici → socket). */
const maxCauseDepth = 8;

/**
 * Scrubs `message` and `stack` of an error and of its `cause` chain, in place. Loggers (pino's
 * error serializer included) print the whole cause chain, so scrubbing only our own message would
 * leave the key one level down.
 */
export function scrubErrorChain(error: unknown, secrets: readonly (string | undefined)[] = []): void {
  let current: unknown = error;
  for (let depth = 0; depth < maxCauseDepth && current instanceof Error; depth++) {
    scrubProperty(current, "message", secrets);
    scrubProperty(current, "stack", secrets);
    // The SDKs keep the parsed error body on `error`, and its `message` repeats what the vendor said.
    if ("error" in current) scrubBody(current.error, secrets, 0);
    current = current.cause;
  }
}

/** How deep into an error body we look; vendor bodies nest `error.details` at most 3 levels down. */
const maxBodyDepth = 4;

function scrubBody(body: unknown, secrets: readonly (string | undefined)[], depth: number): void {
  if (typeof body !== "object" || body === null || depth >= maxBodyDepth || Object.isFrozen(body)) return;
  const record = body as Record<string, unknown>;
  for (const [key, value] of Object.entries(record)) {
    if (typeof value === "string") record[key] = scrubSecrets(value, secrets);
    else scrubBody(value, secrets, depth + 1);
  }
}

function scrubProperty(
  error: Error,
  property: "message" | "stack",
  secrets: readonly (string | undefined)[],
): void {
  const value = error[property];
  if (typeof value !== "string") return;
  const scrubbed = scrubSecrets(value, secrets);
  if (scrubbed === value) return;
  try {
    error[property] = scrubbed;
  } catch {
    // A frozen or accessor-only property: nothing we can do, and the error must still propagate.
  }
}
