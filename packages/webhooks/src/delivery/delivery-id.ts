import { createHash, randomBytes } from "node:crypto";

const ALPHABET = "0123456789abcdefghjkmnpqrstvwxyz"; // Crockford base32, lower case

/**
 * A new delivery id, which is also the `webhook-id` of its every try: `msg_` + 10 characters of
 * millisecond time + 16 random ones (80 bits), so ids sort by creation time and cannot be guessed.
 *
 * @example
 * ```ts
 * newDeliveryId(); // "msg_01jq3v9k2m7x4c8d1f5g6h7j8k"
 * ```
 */
export function newDeliveryId(now = Date.now()): string {
  let time = "";
  let rest = now;
  for (let i = 0; i < 10; i++) {
    time = ALPHABET.charAt(rest % 32) + time;
    rest = Math.floor(rest / 32);
  }
  let random = "";
  for (const byte of randomBytes(16)) random += ALPHABET.charAt(byte % 32);
  return `msg_${time}${random}`;
}

/**
 * The delivery id for an idempotency key: the same key always gives the same id (a hash, shaped
 * like {@link newDeliveryId}'s ids but without their time order).
 */
export function deliveryIdFor(idempotencyKey: string): string {
  const digest = createHash("sha256").update(idempotencyKey, "utf8").digest();
  let out = "";
  for (let i = 0; i < 26; i++) out += ALPHABET.charAt((digest[i] ?? 0) % 32);
  return `msg_${out}`;
}

/** A delivery id as {@link newDeliveryId} makes them (rejects junk before touching Redis). */
export const DELIVERY_ID_PATTERN = /^msg_[0-9a-hjkmnp-tv-z]{26}$/;
