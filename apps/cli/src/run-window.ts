import type { DailyWindow } from "@llmr/daily-window";
import { dailyWindow, windowOccurrence } from "@llmr/daily-window";
import { UsageError } from "./exit-codes.ts";

/**
 * `--window HH:MM-HH:MM[@Time/Zone]`: the next occurrence of a daily local-time window, as the
 * batch's `not_before` / `complete_by`. The time-zone math (DST included) is `@llmr/daily-window`'s,
 * the same the server uses for its own `batches.window`.
 */

export type { DailyWindow };

/** The instants of one occurrence; `notBefore` is null when the window is already open. */
export interface WindowOccurrence {
  notBefore: Date | null;
  completeBy: Date;
}

const WINDOW_PATTERN = /^(\d{1,2}:\d{2})-(\d{1,2}:\d{2})(?:@(.+))?$/;

/** Parses `01:00-06:00@Europe/Berlin`; the zone defaults to `defaultZone` (the system's). */
export function parseWindow(text: string, defaultZone: string): DailyWindow {
  const match = WINDOW_PATTERN.exec(text.trim());
  if (!match)
    throw new UsageError(`--window must look like 01:00-06:00 or 01:00-06:00@Europe/Berlin (got "${text}")`);
  const parsed = dailyWindow(match[1] ?? "", match[2] ?? "", match[3] ?? defaultZone);
  if (!parsed.ok) throw new UsageError(`--window: ${parsed.message}`);
  return parsed.window;
}

/**
 * The window occurrence that has not ended yet at `now`: the one open now (then `notBefore` is
 * null), else the next one. A window whose end is not after its start runs past midnight.
 */
export function nextWindow(window: DailyWindow, now: Date): WindowOccurrence {
  const { start, end } = windowOccurrence(window, now);
  return { notBefore: start.getTime() > now.getTime() ? start : null, completeBy: end };
}
