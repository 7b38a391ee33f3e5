import type { DailyWindow } from "./daily-window.ts";
import { windowOccurrence } from "./daily-window.ts";

/**
 * Open-time arithmetic: how long a window is open between two instants, and when a given amount
 * of open time has gone by. Both walk the occurrences one day at a time, so they are bounded.
 */

/** Occurrences walked at most (about three years of nights): beyond that the answer is "never". */
const MAX_OCCURRENCES = 1_100;

/** Milliseconds between `from` and `to` during which `window` is open (0 when `to` ≤ `from`). */
export function openMsBetween(window: DailyWindow, from: Date, to: Date): number {
  let total = 0;
  let cursor = from.getTime();
  const endMs = to.getTime();
  for (let i = 0; i < MAX_OCCURRENCES && cursor < endMs; i++) {
    const { start, end } = windowOccurrence(window, new Date(cursor));
    if (start.getTime() >= endMs) break;
    total += Math.min(end.getTime(), endMs) - Math.max(start.getTime(), cursor);
    cursor = end.getTime();
  }
  return total;
}

/**
 * The instant at which `window` will have been open for `openMs` counted from `from`; null when
 * that is further away than about three years of windows.
 */
export function addOpenTime(window: DailyWindow, from: Date, openMs: number): Date | null {
  let left = Math.max(0, openMs);
  let cursor = from.getTime();
  for (let i = 0; i < MAX_OCCURRENCES; i++) {
    const { start, end } = windowOccurrence(window, new Date(cursor));
    const begin = Math.max(start.getTime(), cursor);
    const available = end.getTime() - begin;
    if (left <= available) return new Date(begin + left);
    left -= available;
    cursor = end.getTime();
  }
  return null;
}
