import { randomFillSync } from "node:crypto";

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

/**
 * Random bytes come from the OS in blocks, as `crypto.randomUUID` does: one `randomBytes(16)` per
 * id cost about 9 µs of CPU on the API's submit path, most of it the call itself, not the entropy.
 * Each byte is used once.
 */
const RANDOM_POOL_BYTES = 4096;
const randomPool = Buffer.alloc(RANDOM_POOL_BYTES);
let randomPoolOffset = RANDOM_POOL_BYTES;

function encodeRandom(length: number): string {
  if (randomPoolOffset + length > RANDOM_POOL_BYTES) {
    randomFillSync(randomPool);
    randomPoolOffset = 0;
  }
  let out = "";
  // 256 is a multiple of 32, so `% 32` keeps every character equally likely.
  for (let i = randomPoolOffset; i < randomPoolOffset + length; i++)
    out += ALPHABET.charAt((randomPool[i] as number) % 32);
  randomPoolOffset += length;
  return out;
}

/** A public job id as this router issues them (used to reject junk ids before touching Redis). */
export const JOB_ID_PATTERN = /^job_[0-9a-hjkmnp-tv-z]{26}$/;

/** A public batch id as this router issues them. */
export const BATCH_ID_PATTERN = /^batch_[0-9a-hjkmnp-tv-z]{26}$/;
