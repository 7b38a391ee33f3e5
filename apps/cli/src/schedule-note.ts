import { wallClock } from "@llmr/daily-window";
import type { BatchObject } from "./api-types.ts";

/**
 * The words a person needs when a batch will be late or is waiting for the server's daily window:
 * `off track: est. finish 07:40 after complete_by 06:00`, `waiting for the batch window
 * 01:00-06:00 Europe/Berlin (opens 01:00)`. Times are shown in `timeZone` (the user's), with the
 * date when it is not today's. Nothing for a batch on track, finished, or from an older server
 * that sends no estimate.
 */
export function scheduleNote(batch: BatchObject, timeZone: string, now: Date): string | undefined {
  if (batch.finished_at) return undefined;
  const when = (iso: string) => formatLocal(new Date(iso), timeZone, now);
  const { estimate, window, complete_by: completeBy } = batch;
  if (estimate?.on_track === false && completeBy) {
    if (estimate.basis === "no_time_left")
      return `off track: no batch window time left before complete_by ${when(completeBy)}`;
    return estimate.finish_at
      ? `off track: est. finish ${when(estimate.finish_at)} after complete_by ${when(completeBy)}`
      : `off track: will not finish by complete_by ${when(completeBy)}`;
  }
  if (window && !window.open && window.opens_at) {
    return `waiting for the batch window ${window.start}-${window.end} ${window.time_zone} (opens ${when(window.opens_at)})`;
  }
  return undefined;
}

/** `07:40`, or `2026-01-16 07:40` when that is not today in `timeZone`. */
export function formatLocal(instant: Date, timeZone: string, now: Date): string {
  const pad = (n: number) => String(n).padStart(2, "0");
  const at = wallClock(instant, timeZone);
  const today = wallClock(now, timeZone);
  const time = `${pad(at.hour)}:${pad(at.minute)}`;
  const sameDay = at.year === today.year && at.month === today.month && at.day === today.day;
  return sameDay ? time : `${at.year}-${pad(at.month)}-${pad(at.day)} ${time}`;
}
