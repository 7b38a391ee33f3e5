/**
 * The longest wait we pass on from a provider's `retry-after`. Longer waits are capped rather
 * than ignored (openai-node ignores anything over 60 s): the provider still means "not soon", and
 * a queue can afford five minutes, but a job parked for an hour on one header is better served by
 * the router's own backoff or a fallback provider.
 */
export const maxRetryAfterMs = 5 * 60 * 1000;

/**
 * Reads how long a provider asked us to wait, in milliseconds, capped at {@link maxRetryAfterMs}.
 *
 * `retry-after-ms` (non-standard, sent by OpenAI and Azure) wins because it is more precise;
 * otherwise `retry-after` in its two standard forms: delta-seconds (`"2"`, `"0.5"`) or an HTTP
 * date. Returns `undefined` when neither header holds a usable value.
 *
 * @param nowMs - The current time, for HTTP-date values. @defaultValue `Date.now()`
 */
export function parseRetryAfterMs(
  headers: Headers | undefined,
  nowMs: number = Date.now(),
): number | undefined {
  if (!headers) return undefined;
  const waitMs =
    readRetryAfterMs(headers.get("retry-after-ms")) ?? readRetryAfter(headers.get("retry-after"), nowMs);
  if (waitMs === undefined) return undefined;
  return Math.min(Math.max(0, Math.round(waitMs)), maxRetryAfterMs);
}

function readRetryAfterMs(value: string | null): number | undefined {
  if (value === null || value.trim() === "") return undefined;
  const waitMs = Number(value);
  return Number.isFinite(waitMs) && waitMs >= 0 ? waitMs : undefined;
}

function readRetryAfter(value: string | null, nowMs: number): number | undefined {
  if (value === null || value.trim() === "") return undefined;
  const waitSeconds = Number(value);
  if (Number.isFinite(waitSeconds)) return waitSeconds >= 0 ? waitSeconds * 1000 : undefined;
  const atMs = Date.parse(value);
  // A date in the past means "now"; clamping happens in the caller.
  return Number.isNaN(atMs) ? undefined : atMs - nowMs;
}
