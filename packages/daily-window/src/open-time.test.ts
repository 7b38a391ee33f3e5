import { describe, expect, it } from "vitest";
import type { DailyWindow } from "./daily-window.ts";
import { addOpenTime, openMsBetween } from "./open-time.ts";

const HOUR_MS = 3_600_000;
const at = (iso: string) => new Date(iso);
// 01:00-06:00 in Berlin: 00:00-05:00 UTC in winter (CET).
const berlin: DailyWindow = { startMinutes: 60, endMinutes: 360, timeZone: "Europe/Berlin" };
// 22:00-02:00 UTC: past midnight.
const night: DailyWindow = { startMinutes: 22 * 60, endMinutes: 2 * 60, timeZone: "UTC" };

describe("open time between two instants", () => {
  it("counts only the parts inside windows, across several nights", () => {
    expect(openMsBetween(berlin, at("2026-01-14T12:00:00Z"), at("2026-01-15T12:00:00Z"))).toBe(5 * HOUR_MS);
    expect(openMsBetween(berlin, at("2026-01-15T02:00:00Z"), at("2026-01-15T03:30:00Z"))).toBe(1.5 * HOUR_MS);
    expect(openMsBetween(berlin, at("2026-01-15T04:00:00Z"), at("2026-01-17T01:00:00Z"))).toBe(7 * HOUR_MS);
    expect(openMsBetween(berlin, at("2026-01-15T06:00:00Z"), at("2026-01-15T23:00:00Z"))).toBe(0);
    expect(openMsBetween(berlin, at("2026-01-15T06:00:00Z"), at("2026-01-15T05:00:00Z"))).toBe(0);
  });

  it("a window past midnight counts from both days", () => {
    expect(openMsBetween(night, at("2026-01-15T00:00:00Z"), at("2026-01-15T23:00:00Z"))).toBe(3 * HOUR_MS);
  });

  it("follows DST: the spring-forward night is an hour shorter", () => {
    const ny: DailyWindow = { startMinutes: 60, endMinutes: 360, timeZone: "America/New_York" };
    expect(openMsBetween(ny, at("2026-03-07T12:00:00Z"), at("2026-03-08T12:00:00Z"))).toBe(4 * HOUR_MS);
  });
});

describe("when an amount of open time has passed", () => {
  it("inside a window: now plus the amount, if it fits", () => {
    expect(addOpenTime(berlin, at("2026-01-15T01:00:00Z"), 2 * HOUR_MS)).toEqual(at("2026-01-15T03:00:00Z"));
  });

  it("carries over to the next nights, skipping the closed hours", () => {
    expect(addOpenTime(berlin, at("2026-01-15T04:00:00Z"), 3 * HOUR_MS)).toEqual(at("2026-01-16T02:00:00Z"));
    expect(addOpenTime(berlin, at("2026-01-15T12:00:00Z"), 11 * HOUR_MS)).toEqual(at("2026-01-18T01:00:00Z"));
    expect(addOpenTime(night, at("2026-01-15T01:00:00Z"), 2 * HOUR_MS)).toEqual(at("2026-01-15T23:00:00Z"));
  });

  it("is the inverse of openMsBetween", () => {
    const from = at("2026-01-14T17:23:00Z");
    const end = addOpenTime(berlin, from, 13.25 * HOUR_MS);
    expect(end).not.toBeNull();
    expect(openMsBetween(berlin, from, end as Date)).toBe(13.25 * HOUR_MS);
  });

  it("gives up (null) beyond about three years of windows", () => {
    expect(addOpenTime(berlin, at("2026-01-15T12:00:00Z"), 5 * HOUR_MS * 2_000)).toBeNull();
  });
});
