import { randomBytes } from "node:crypto";

const ALPHABET = "0123456789abcdefghjkmnpqrstvwxyz"; // Crockford base32, lower case

/**
 * A new public job id: `job_` + 10 characters of millisecond time + 16 random ones (80 bits),
 * so ids sort by creation time and cannot be guessed (a guessed id of another tenant is a 404 anyway).
 */
export function newJobId(now = Date.now()): string {
  return `job_${encodeTime(now)}${encodeRandom(16)}`;
}

/** A new public batch id: `batch_` + the same 26 characters as a job id (time-sortable, unguessable). */
export function newBatchId(now = Date.now()): string {
  return `batch_${encodeTime(now)}${encodeRandom(16)}`;
}

function encodeTime(ms: number): string {
  let out = "";
  let rest = ms;
  for (let i = 0; i < 10; i++) {
    out = ALPHABET.charAt(rest % 32) + out;
    rest = Math.floor(rest / 32);
  }
  return out;
}

function encodeRandom(length: number): string {
  const bytes = randomBytes(length);
  let out = "";
  for (const byte of bytes) out += ALPHABET.charAt(byte % 32);
  return out;
}

/** A public job id as this router issues them (used to reject junk ids before touching Redis). */
export const JOB_ID_PATTERN = /^job_[0-9a-hjkmnp-tv-z]{26}$/;

/** A public batch id as this router issues them. */
export const BATCH_ID_PATTERN = /^batch_[0-9a-hjkmnp-tv-z]{26}$/;
