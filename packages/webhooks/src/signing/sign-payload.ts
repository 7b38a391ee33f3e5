import { createHmac } from "node:crypto";
import { decodeWebhookSecret } from "./webhook-secret.ts";

/** What {@link signPayload} signs. */
export interface SignInput {
  /** The message id (`msg_…`): the same on every try of one delivery, so receivers can de-duplicate. */
  id: string;
  /** When this try is sent; becomes `webhook-timestamp` in whole unix seconds. */
  timestamp: Date;
  /** The exact bytes of the request body. */
  body: string;
  /** Every active `whsec_…` secret of the tenant: one signature each (rotation sends several). */
  secrets: readonly string[];
}

/** The three headers of the Standard Webhooks spec. */
export interface WebhookHeaders {
  "webhook-id": string;
  "webhook-timestamp": string;
  "webhook-signature": string;
}

/**
 * Signs a webhook as the Standard Webhooks spec says: for each secret, `v1,` + the base64
 * HMAC-SHA256 of `{id}.{timestamp}.{body}` keyed with the secret's decoded bytes; the signatures
 * are space-separated, so a receiver holding any one of the secrets can verify.
 *
 * @throws InvalidSecretError when a secret is malformed (the message does not contain it)
 *
 * @example
 * ```ts
 * const headers = signPayload({ id: "msg_1", timestamp: new Date(), body: '{"type":"job.succeeded"}', secrets });
 * // { "webhook-id": "msg_1", "webhook-timestamp": "1767225600", "webhook-signature": "v1,K5oZ…=" }
 * ```
 */
export function signPayload(input: SignInput): WebhookHeaders {
  if (input.secrets.length === 0) throw new RangeError("signPayload needs at least one secret");
  const timestamp = String(Math.floor(input.timestamp.getTime() / 1000));
  const signed = `${input.id}.${timestamp}.${input.body}`;
  const signatures = input.secrets.map(
    (secret) => `v1,${createHmac("sha256", decodeWebhookSecret(secret)).update(signed).digest("base64")}`,
  );
  return {
    "webhook-id": input.id,
    "webhook-timestamp": timestamp,
    "webhook-signature": signatures.join(" "),
  };
}
