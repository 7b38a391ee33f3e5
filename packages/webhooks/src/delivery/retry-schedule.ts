/**
 * When the tries of one delivery happen, as offsets from the first try: the Standard Webhooks
 * spec's example schedule (immediately, 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 14 h, 20 h, 24 h).
 * Read as offsets, the last try comes 24 h after the first, which is the contract's "retried
 * with backoff for about a day" (read as waits between tries it would run for about 75 h).
 */
export const DEFAULT_RETRY_SCHEDULE_MS: readonly number[] = [
  0,
  5_000,
  5 * 60_000,
  30 * 60_000,
  2 * 3_600_000,
  5 * 3_600_000,
  10 * 3_600_000,
  14 * 3_600_000,
  20 * 3_600_000,
  24 * 3_600_000,
];

/**
 * How long to wait after try `triesDone` failed before the next one: the gap between their
 * offsets in `scheduleMs`, times `scale` (tests compress a day into a second with `1e-5`).
 *
 * @example
 * ```ts
 * waitBeforeNextTryMs(DEFAULT_RETRY_SCHEDULE_MS, 1, 1); // 5000: the second try comes 5 s after the first
 * waitBeforeNextTryMs(DEFAULT_RETRY_SCHEDULE_MS, 2, 1); // 295000: the third comes 5 min after the first
 * ```
 */
export function waitBeforeNextTryMs(scheduleMs: readonly number[], triesDone: number, scale = 1): number {
  const previous = scheduleMs[triesDone - 1] ?? 0;
  const next = scheduleMs[triesDone] ?? previous;
  return Math.max(0, Math.round((next - previous) * scale));
}

/** Checks a schedule given as an option: starts at 0, never goes back in time. */
export function assertValidSchedule(scheduleMs: readonly number[]): void {
  if (scheduleMs.length === 0 || scheduleMs[0] !== 0) {
    throw new RangeError("a webhook retry schedule starts with 0 (the first try is immediate)");
  }
  for (let i = 1; i < scheduleMs.length; i++) {
    if ((scheduleMs[i] ?? 0) < (scheduleMs[i - 1] ?? 0)) {
      throw new RangeError("a webhook retry schedule lists offsets from the first try in increasing order");
    }
  }
}
