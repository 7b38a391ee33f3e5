import { describe, expect, it } from "vitest";
import type { DailyWindow } from "./daily-window.ts";
import {
  dailyWindow,
  formatTimeOfDay,
  parseTimeOfDay,
  windowOccurrence,
  windowState,
} from "./daily-window.ts";

const window = (start: string, end: string, zone: string): DailyWindow => {
  const parsed = dailyWindow(start, end, zone);
  if (!parsed.ok) throw new Error(parsed.message);
  return parsed.window;
};
const occurrence = (w: DailyWindow, now: string) => {
  const { start, end } = windowOccurrence(w, new Date(now));
  return { start: start.toISOString(), end: end.toISOString() };
};

describe("daily window occurrences", () => {
  it("before today's window: today's start and end, in the named zone", () => {
    expect(occurrence(window("01:00", "06:00", "Europe/Berlin"), "2026-01-14T12:00:00Z")).toEqual({
      start: "2026-01-15T00:00:00.000Z",
      end: "2026-01-15T05:00:00.000Z",
    });
    expect(occurrence(window("22:00", "23:30", "Europe/Berlin"), "2026-07-14T12:00:00Z")).toEqual({
      start: "2026-07-14T20:00:00.000Z",
      end: "2026-07-14T21:30:00.000Z",
    });
  });

  it("inside the window: the open occurrence (start in the past), ending today", () => {
    const w = window("01:00", "06:00", "Europe/Berlin");
    expect(occurrence(w, "2026-01-15T02:00:00Z")).toEqual({
      start: "2026-01-15T00:00:00.000Z",
      end: "2026-01-15T05:00:00.000Z",
    });
    expect(windowState(w, new Date("2026-01-15T02:00:00Z"))).toEqual({
      open: true,
      opensAt: null,
      closesAt: new Date("2026-01-15T05:00:00Z"),
    });
    // Open at its first instant, closed at its last.
    expect(windowState(w, new Date("2026-01-15T00:00:00Z")).open).toBe(true);
    expect(windowState(w, new Date("2026-01-15T05:00:00Z"))).toMatchObject({
      open: false,
      opensAt: new Date("2026-01-16T00:00:00Z"),
    });
  });

  it("a window past midnight that is open now ends tomorrow; one not yet open starts tonight", () => {
    const w = window("22:00", "04:00", "America/New_York");
    expect(occurrence(w, "2026-01-15T05:00:00Z")).toEqual({
      start: "2026-01-15T03:00:00.000Z",
      end: "2026-01-15T09:00:00.000Z",
    });
    expect(occurrence(w, "2026-01-15T12:00:00Z")).toEqual({
      start: "2026-01-16T03:00:00.000Z",
      end: "2026-01-16T09:00:00.000Z",
    });
  });

  it("spring forward: the night the clocks skip 02:00-03:00 the window is an hour shorter in real time", () => {
    // America/New_York, 2026-03-08: 02:00 EST becomes 03:00 EDT.
    expect(occurrence(window("01:00", "06:00", "America/New_York"), "2026-03-07T20:00:00Z")).toEqual({
      start: "2026-03-08T06:00:00.000Z", // 01:00 EST
      end: "2026-03-08T10:00:00.000Z", // 06:00 EDT
    });
    // A start inside the skipped hour moves forward by the gap: 02:30 → 03:30 EDT.
    expect(occurrence(window("02:30", "05:00", "America/New_York"), "2026-03-07T20:00:00Z").start).toBe(
      "2026-03-08T07:30:00.000Z",
    );
  });

  it("fall back: a start in the repeated hour takes its first occurrence; the window is an hour longer", () => {
    // Europe/Berlin, 2026-10-25: 03:00 CEST becomes 02:00 CET, so 02:30 happens twice.
    expect(occurrence(window("02:30", "06:00", "Europe/Berlin"), "2026-10-24T12:00:00Z")).toEqual({
      start: "2026-10-25T00:30:00.000Z", // 02:30 CEST (the first one)
      end: "2026-10-25T05:00:00.000Z", // 06:00 CET
    });
  });

  it("a half-hour zone works", () => {
    expect(occurrence(window("01:00", "02:00", "Asia/Kolkata"), "2026-01-14T12:00:00Z")).toEqual({
      start: "2026-01-14T19:30:00.000Z",
      end: "2026-01-14T20:30:00.000Z",
    });
  });
});

describe("parsing a window", () => {
  it("reads HH:MM from 00:00 to 23:59 and writes it back", () => {
    expect(parseTimeOfDay("00:00")).toBe(0);
    expect(parseTimeOfDay("6:05")).toBe(365);
    expect(parseTimeOfDay("23:59")).toBe(1439);
    for (const bad of ["24:00", "01:60", "1", "01:00:00", "", "ab:cd"])
      expect(parseTimeOfDay(bad), bad).toBe(undefined);
    expect(formatTimeOfDay(365)).toBe("06:05");
  });

  it("names the part that is wrong", () => {
    expect(dailyWindow("25:00", "06:00", "UTC")).toMatchObject({ ok: false, field: "start" });
    expect(dailyWindow("01:00", "6", "UTC")).toMatchObject({ ok: false, field: "end" });
    expect(dailyWindow("01:00", "01:00", "UTC")).toMatchObject({ ok: false, field: "end" });
    expect(dailyWindow("01:00", "06:00", "Mars/Olympus")).toMatchObject({
      ok: false,
      field: "time_zone",
      message: 'unknown time zone "Mars/Olympus" (use an IANA name like Europe/Berlin)',
    });
  });
});
