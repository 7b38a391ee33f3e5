import { describe, expect, it } from "vitest";
import { assertValidSchedule, DEFAULT_RETRY_SCHEDULE_MS, waitBeforeNextTryMs } from "./retry-schedule.ts";

const MINUTE_MS = 60_000;
const HOUR_MS = 3_600_000;

describe("the retry schedule", () => {
  it("is the Standard Webhooks table: ten tries, the last one a day after the first", () => {
    expect(DEFAULT_RETRY_SCHEDULE_MS).toEqual([
      0,
      5_000,
      5 * MINUTE_MS,
      30 * MINUTE_MS,
      2 * HOUR_MS,
      5 * HOUR_MS,
      10 * HOUR_MS,
      14 * HOUR_MS,
      20 * HOUR_MS,
      24 * HOUR_MS,
    ]);
  });

  it("waits the gap between two offsets after each failed try", () => {
    expect(waitBeforeNextTryMs(DEFAULT_RETRY_SCHEDULE_MS, 1)).toBe(5_000);
    expect(waitBeforeNextTryMs(DEFAULT_RETRY_SCHEDULE_MS, 2)).toBe(5 * MINUTE_MS - 5_000);
    expect(waitBeforeNextTryMs(DEFAULT_RETRY_SCHEDULE_MS, 9)).toBe(4 * HOUR_MS);
    const total = Array.from({ length: 9 }, (_, i) => waitBeforeNextTryMs(DEFAULT_RETRY_SCHEDULE_MS, i + 1));
    expect(total.reduce((sum, wait) => sum + wait, 0)).toBe(24 * HOUR_MS);
  });

  it("compresses with a scale, for tests", () => {
    expect(waitBeforeNextTryMs(DEFAULT_RETRY_SCHEDULE_MS, 1, 0.001)).toBe(5);
    expect(waitBeforeNextTryMs(DEFAULT_RETRY_SCHEDULE_MS, 9, 1e-5)).toBe(144);
  });

  it("refuses schedules that do not start at once or go back in time", () => {
    expect(() => assertValidSchedule([])).toThrow(RangeError);
    expect(() => assertValidSchedule([5_000])).toThrow(/starts with 0/);
    expect(() => assertValidSchedule([0, 10, 5])).toThrow(/increasing/);
    expect(() => assertValidSchedule([0, 5, 10])).not.toThrow();
  });
});
