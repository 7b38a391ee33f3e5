export type { DailyWindow, WindowOccurrence, WindowState } from "./daily-window.ts";
export {
  dailyWindow,
  formatTimeOfDay,
  parseTimeOfDay,
  windowOccurrence,
  windowState,
} from "./daily-window.ts";
export { addOpenTime, openMsBetween } from "./open-time.ts";
export type { WallClock } from "./zoned-time.ts";
export { isTimeZone, wallClock, zonedInstant } from "./zoned-time.ts";
