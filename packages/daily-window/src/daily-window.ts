import { isTimeZone, wallClock, zonedInstant } from "./zoned-time.ts";

/** A window that opens every day at the same local time, e.g. 01:00–06:00 in Europe/Berlin. */
export interface DailyWindow {
  /** Minutes after local midnight when it opens (0–1439). */
  startMinutes: number;
  /** Minutes after local midnight when it closes; not after `startMinutes`: the next day. */
  endMinutes: number;
  /** IANA zone name, e.g. `Europe/Berlin`. */
  timeZone: string;
}

/** One day's window as instants: open from `start` (inclusive) to `end` (exclusive). */
export interface WindowOccurrence {
  start: Date;
  end: Date;
}

const TIME_OF_DAY = /^(\d{1,2}):(\d{2})$/;

/**
 * `"01:30"` → 90; undefined for anything that is not a time of day from 00:00 to 23:59.
 *
 * @example parseTimeOfDay("06:00") // 360
 */
export function parseTimeOfDay(text: string): number | undefined {
  const match = TIME_OF_DAY.exec(text.trim());
  if (!match) return undefined;
  const hours = Number(match[1]);
  const minutes = Number(match[2]);
  if (hours > 23 || minutes > 59) return undefined;
  return hours * 60 + minutes;
}

/** 90 → `"01:30"`. */
export function formatTimeOfDay(minutes: number): string {
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${pad(Math.floor(minutes / 60))}:${pad(minutes % 60)}`;
}

/**
 * A window from two `HH:MM` times and a zone, or the reason it is not one (the caller says which
 * field or flag it came from).
 */
export function dailyWindow(
  start: string,
  end: string,
  timeZone: string,
): { ok: true; window: DailyWindow } | { ok: false; field: "start" | "end" | "time_zone"; message: string } {
  const startMinutes = parseTimeOfDay(start);
  if (startMinutes === undefined)
    return { ok: false, field: "start", message: `"${start}" is not a time of day (00:00-23:59)` };
  const endMinutes = parseTimeOfDay(end);
  if (endMinutes === undefined)
    return { ok: false, field: "end", message: `"${end}" is not a time of day (00:00-23:59)` };
  if (startMinutes === endMinutes)
    return { ok: false, field: "end", message: "start and end must differ (an empty window never opens)" };
  if (!isTimeZone(timeZone))
    return {
      ok: false,
      field: "time_zone",
      message: `unknown time zone "${timeZone}" (use an IANA name like Europe/Berlin)`,
    };
  return { ok: true, window: { startMinutes, endMinutes, timeZone } };
}

/**
 * The occurrence that has not ended yet at `now`: the one open now (`start` ≤ `now`), else the
 * next one. A window whose end is not after its start runs past midnight.
 */
export function windowOccurrence(window: DailyWindow, now: Date): WindowOccurrence {
  const today = wallClock(now, window.timeZone);
  const crossesMidnight = window.endMinutes <= window.startMinutes;
  // Yesterday's occurrence may still be open (a window past midnight), today's or tomorrow's next.
  for (const dayOffset of [-1, 0, 1]) {
    const start = zonedInstant(today, dayOffset, window.startMinutes, window.timeZone);
    const end = zonedInstant(
      today,
      dayOffset + (crossesMidnight ? 1 : 0),
      window.endMinutes,
      window.timeZone,
    );
    // On a DST night a short window can vanish (start and end map to one instant): skip it.
    if (end.getTime() > now.getTime() && end.getTime() > start.getTime()) return { start, end };
  }
  // Only when tomorrow's window vanished too, which no zone's rules do on consecutive days.
  return windowOccurrence(window, zonedInstant(today, 2, 0, window.timeZone));
}

/** Whether the window is open at `now`, and when that changes. */
export interface WindowState {
  open: boolean;
  /** When it opens next: null while open. */
  opensAt: Date | null;
  /** When the current (or next) occurrence closes. */
  closesAt: Date;
}

export function windowState(window: DailyWindow, now: Date): WindowState {
  const { start, end } = windowOccurrence(window, now);
  const open = start.getTime() <= now.getTime();
  return { open, opensAt: open ? null : start, closesAt: end };
}
