import { randomBytes } from "node:crypto";
import { InvalidSecretError } from "../errors/invalid-secret-error.ts";

/** The prefix of every signing secret, as the Standard Webhooks spec and its libraries write it. */
export const SECRET_PREFIX = "whsec_";

/** 24 random bytes (192 bits): the spec asks for 24 to 64. */
const SECRET_BYTES = 24;
/** The spec's bounds on the decoded key. */
const MIN_SECRET_BYTES = 16;
const MAX_SECRET_BYTES = 64;
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

/**
 * A new signing secret: `whsec_` + base64 of 24 random bytes.
 *
 * @example
 * ```ts
 * newWebhookSecret(); // "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
 * ```
 */
export function newWebhookSecret(): string {
  return `${SECRET_PREFIX}${randomBytes(SECRET_BYTES).toString("base64")}`;
}

/**
 * The HMAC key inside a `whsec_…` secret: the base64-decoded part after the prefix.
 *
 * @throws InvalidSecretError when the secret is not `whsec_` + base64 of 16 to 64 bytes (the
 *   message does not contain the secret)
 *
 * @example
 * ```ts
 * const key = decodeWebhookSecret(newWebhookSecret()); // 24 bytes
 * ```
 */
export function decodeWebhookSecret(secret: string): Buffer {
  if (!secret.startsWith(SECRET_PREFIX)) {
    throw new InvalidSecretError(`a webhook secret must start with "${SECRET_PREFIX}"`);
  }
  const encoded = secret.slice(SECRET_PREFIX.length);
  // Buffer.from(…, "base64") skips junk silently; a typo must not become a different key.
  if (!BASE64.test(encoded)) throw new InvalidSecretError();
  const key = Buffer.from(encoded, "base64");
  if (key.length < MIN_SECRET_BYTES || key.length > MAX_SECRET_BYTES) throw new InvalidSecretError();
  return key;
}
