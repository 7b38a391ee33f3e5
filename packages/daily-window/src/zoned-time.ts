/**
 * Wall-clock time in a named zone ↔ instants, through the Intl time-zone data (no library: Node's
 * ICU has every IANA zone and its DST rules).
 */

/** A date and a time of day as shown on clocks in some zone. */
export interface WallClock {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
}

const MS_PER_MINUTE = 60_000;
const MS_PER_DAY = 24 * 60 * MS_PER_MINUTE;

// Building a formatter costs far more than using one; window math asks the same zone many times.
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat("en-US", {
      timeZone,
      hourCycle: "h23",
      year: "numeric",
      month: "numeric",
      day: "numeric",
      hour: "numeric",
      minute: "numeric",
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

/** True when Intl knows `timeZone` (an IANA name like `Europe/Berlin`, or `UTC`). */
export function isTimeZone(timeZone: string): boolean {
  try {
    formatterFor(timeZone);
    return true;
  } catch {
    return false;
  }
}

/** The date and time on a clock in `timeZone` at `instant`. */
export function wallClock(instant: Date, timeZone: string): WallClock {
  const parts = formatterFor(timeZone).formatToParts(instant);
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
  const before = wanted - offsetMs(wanted - MS_PER_DAY, timeZone);
  const after = wanted - offsetMs(wanted + MS_PER_DAY, timeZone);
  const fits = [before, after].filter((instant) => instant + offsetMs(instant, timeZone) === wanted);
  return new Date(fits.length > 0 ? Math.min(...fits) : before);
}
