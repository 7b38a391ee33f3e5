import { describe, expect, it } from "vitest";
import { UsageError } from "./exit-codes.ts";
import { nextWindow, parseWindow } from "./run-window.ts";

const at = (iso: string) => new Date(iso);
const next = (text: string, now: string, zone = "UTC") => {
  const occurrence = nextWindow(parseWindow(text, zone), at(now));
  return {
    notBefore: occurrence.notBefore?.toISOString() ?? null,
    completeBy: occurrence.completeBy.toISOString(),
  };
};

describe("--window HH:MM-HH:MM[@zone]", () => {
  it("before today's window: today's start and end, in the named zone", () => {
    expect(next("01:00-06:00@Europe/Berlin", "2026-01-14T12:00:00Z")).toEqual({
      notBefore: "2026-01-15T00:00:00.000Z",
      completeBy: "2026-01-15T05:00:00.000Z",
    });
    expect(next("22:00-23:30@Europe/Berlin", "2026-07-14T12:00:00Z")).toEqual({
      notBefore: "2026-07-14T20:00:00.000Z",
      completeBy: "2026-07-14T21:30:00.000Z",
    });
  });

  it("inside the window: starts now (no not_before), ends at today's end", () => {
    expect(next("01:00-06:00@Europe/Berlin", "2026-01-15T02:00:00Z")).toEqual({
      notBefore: null,
      completeBy: "2026-01-15T05:00:00.000Z",
    });
  });

  it("a window past midnight that is open now ends tomorrow; one not yet open starts tonight", () => {
    expect(next("22:00-04:00@America/New_York", "2026-01-15T05:00:00Z")).toEqual({
      notBefore: null,
      completeBy: "2026-01-15T09:00:00.000Z",
    });
    expect(next("22:00-04:00@America/New_York", "2026-01-15T12:00:00Z")).toEqual({
      notBefore: "2026-01-16T03:00:00.000Z",
      completeBy: "2026-01-16T09:00:00.000Z",
    });
  });

  it("follows the wall clock across DST (the math and its DST cases are @llmr/daily-window's)", () => {
    // America/New_York, 2026-03-08: 02:00 EST becomes 03:00 EDT; the window is an hour shorter.
    expect(next("01:00-06:00@America/New_York", "2026-03-07T20:00:00Z")).toEqual({
      notBefore: "2026-03-08T06:00:00.000Z",
      completeBy: "2026-03-08T10:00:00.000Z",
    });
  });

  it("the zone defaults to the one given (the system's); a half-hour zone works", () => {
    expect(next("01:00-02:00", "2026-01-14T12:00:00Z", "Asia/Kolkata")).toEqual({
      notBefore: "2026-01-14T19:30:00.000Z",
      completeBy: "2026-01-14T20:30:00.000Z",
    });
  });

  it("refuses malformed windows, times of day past 23:59, empty windows and unknown zones (usage errors)", () => {
    for (const bad of [
      "1-6",
      "01:00",
      "25:00-06:00",
      "01:60-02:00",
      "03:00-03:00",
      "01:00-06:00@Mars/Olympus",
    ]) {
      expect(() => parseWindow(bad, "UTC"), bad).toThrow(UsageError);
    }
    expect(() => parseWindow("01:00-06:00@Mars/Olympus", "UTC")).toThrow(/unknown time zone "Mars\/Olympus"/);
  });
});
