import { UsageError } from "./exit-codes.ts";

/**
 * `--window HH:MM-HH:MM[@Time/Zone]`: the next occurrence of a daily local-time window, as the
 * batch's `not_before` / `complete_by` (until the server has a daily window of its own). Wall-clock
 * times are turned into instants with the Intl time-zone data, so DST days are right: a start in
 * the spring-forward gap moves forward by the gap, one in the repeated autumn hour takes the first.
 */

/** A daily window as written on the command line. */
export interface DailyWindow {
  startMinutes: number;
  endMinutes: number;
  /** IANA zone name. */
  timeZone: string;
}

/** The instants of one occurrence; `notBefore` is null when the window is already open. */
export interface WindowOccurrence {
  notBefore: Date | null;
  completeBy: Date;
}

const WINDOW_PATTERN = /^(\d{1,2}):(\d{2})-(\d{1,2}):(\d{2})(?:@(.+))?$/;
const MS_PER_MINUTE = 60_000;

/** Parses `01:00-06:00@Europe/Berlin`; the zone defaults to `defaultZone` (the system's). */
export function parseWindow(text: string, defaultZone: string): DailyWindow {
  const match = WINDOW_PATTERN.exec(text.trim());
  if (!match)
    throw new UsageError(`--window must look like 01:00-06:00 or 01:00-06:00@Europe/Berlin (got "${text}")`);
  const [, h1, m1, h2, m2, zone] = match;
  const minutes = (h: string | undefined, m: string | undefined) => {
    const hours = Number(h);
    const mins = Number(m);
    if (hours > 23 || mins > 59)
      throw new UsageError(`--window: ${h}:${m} is not a time of day (00:00-23:59)`);
    return hours * 60 + mins;
  };
  const startMinutes = minutes(h1, m1);
  const endMinutes = minutes(h2, m2);
  if (startMinutes === endMinutes) throw new UsageError("--window: start and end must differ");
  const timeZone = zone ?? defaultZone;
  try {
    new Intl.DateTimeFormat("en-US", { timeZone });
  } catch {
    throw new UsageError(`--window: unknown time zone "${timeZone}" (use an IANA name like Europe/Berlin)`);
  }
  return { startMinutes, endMinutes, timeZone };
}

/**
 * The window occurrence that has not ended yet at `now`: the one open now (then `notBefore` is
 * null), else the next one. A window whose end is not after its start runs past midnight.
 */
export function nextWindow(window: DailyWindow, now: Date): WindowOccurrence {
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
    if (end.getTime() > now.getTime()) {
      return { notBefore: start.getTime() > now.getTime() ? start : null, completeBy: end };
    }
  }
  throw new Error("unreachable: tomorrow's window always ends after now");
}

interface WallClock {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
}

/** The date and time on a clock in `timeZone` at `instant`. */
export function wallClock(instant: Date, timeZone: string): WallClock {
  const parts = new Intl.DateTimeFormat("en-US", {
    timeZone,
    hourCycle: "h23",
    year: "numeric",
    month: "numeric",
    day: "numeric",
    hour: "numeric",
    minute: "numeric",
  }).formatToParts(instant);
  const part = (type: Intl.DateTimeFormatPartTypes) => Number(parts.find((p) => p.type === type)?.value);
  return {
    year: part("year"),
    month: part("month"),
    day: part("day"),
    hour: part("hour"),
    minute: part("minute"),
  };
}

/** How far `timeZone`'s clocks are ahead of UTC at `instantMs`, in ms. */
function offsetMs(instantMs: number, timeZone: string): number {
  const clock = wallClock(new Date(instantMs), timeZone);
  const asUtc = Date.UTC(clock.year, clock.month - 1, clock.day, clock.hour, clock.minute);
  return asUtc - Math.floor(instantMs / MS_PER_MINUTE) * MS_PER_MINUTE;
}

/**
 * The instant when clocks in `timeZone` show `minutes` after midnight on `date` + `dayOffset`
 * days. Tries the zone's offset from a day before and a day after (the two sides of any
 * transition): a repeated time takes the earlier instant; a skipped one (spring forward) uses the
 * offset from before the gap, which lands that many minutes later, as Temporal's "compatible" does.
 */
export function zonedInstant(date: WallClock, dayOffset: number, minutes: number, timeZone: string): Date {
  const wanted = Date.UTC(date.year, date.month - 1, date.day + dayOffset, 0, minutes);
  const dayMs = 24 * 60 * MS_PER_MINUTE;
  const before = wanted - offsetMs(wanted - dayMs, timeZone);
  const after = wanted - offsetMs(wanted + dayMs, timeZone);
  const fits = [before, after].filter((instant) => instant + offsetMs(instant, timeZone) === wanted);
  return new Date(fits.length > 0 ? Math.min(...fits) : before);
}
