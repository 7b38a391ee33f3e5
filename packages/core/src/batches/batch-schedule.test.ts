import type { DailyWindow } from "@llmr/daily-window";
import { describe, expect, it } from "vitest";
import type { BatchCounts } from "./batch-object.ts";
import type { BatchScheduleInput } from "./batch-schedule.ts";
import { batchWindowView, estimateBatch } from "./batch-schedule.ts";

const at = (iso: string) => new Date(iso);
const counts = (total: number, done: number, running = 0, failed = 0, cancelled = 0): BatchCounts => ({
  total,
  queued: total - done - running - failed - cancelled,
  running,
  succeeded: done,
  failed,
  cancelled,
});
// 01:00-06:00 UTC every day.
const night: DailyWindow = { startMinutes: 60, endMinutes: 360, timeZone: "UTC" };
const input = (overrides: Partial<BatchScheduleInput>): BatchScheduleInput => ({
  status: "running",
  counts: counts(100, 0),
  startedAt: null,
  finishedAt: null,
  notBefore: null,
  completeBy: null,
  window: undefined,
  now: at("2026-01-15T12:00:00Z"),
  ...overrides,
});

describe("a batch's estimate", () => {
  it("has no rate before anything ran, or while too few items finished", () => {
    expect(estimateBatch(input({ status: "queued" }))).toEqual({
      remaining: 100,
      items_per_minute: null,
      finish_at: null,
      on_track: null,
      basis: "not_started",
    });
    const early = estimateBatch(
      input({
        counts: counts(100, 2, 2),
        startedAt: at("2026-01-15T11:59:30Z"),
        completeBy: at("2026-01-15T13:00:00Z"),
      }),
    );
    expect(early).toMatchObject({
      remaining: 98,
      items_per_minute: null,
      on_track: null,
      basis: "warming_up",
    });
  });

  it("after a few items: the rate, the finish at that rate, and on track when that is by complete_by", () => {
    // 10 items in 5 minutes: 2/min; 90 left → 45 minutes → 12:45.
    const estimate = estimateBatch(
      input({
        counts: counts(100, 10, 2),
        startedAt: at("2026-01-15T11:55:00Z"),
        completeBy: at("2026-01-15T13:00:00Z"),
      }),
    );
    expect(estimate).toEqual({
      remaining: 90,
      items_per_minute: 2,
      finish_at: "2026-01-15T12:45:00.000Z",
      on_track: true,
      basis: "measured",
    });
  });

  it("off track as soon as the rate says the rest will not be done by complete_by", () => {
    const estimate = estimateBatch(
      input({
        counts: counts(100, 3),
        startedAt: at("2026-01-15T11:59:00Z"),
        completeBy: at("2026-01-15T12:30:00Z"),
      }),
    );
    // 3/min, 97 left → 32m20s → 12:32:20, after 12:30.
    expect(estimate).toMatchObject({
      items_per_minute: 3,
      finish_at: "2026-01-15T12:32:20.000Z",
      on_track: false,
    });
  });

  it("one slow item is enough after a minute of run time", () => {
    const estimate = estimateBatch(
      input({ counts: counts(10, 1, 2), startedAt: at("2026-01-15T11:58:00Z") }),
    );
    expect(estimate).toMatchObject({
      items_per_minute: 0.5,
      finish_at: "2026-01-15T12:18:00.000Z",
      on_track: null,
    });
  });

  it("counts only window time: for the rate (the night it ran) and for the finish (the nights ahead)", () => {
    // Started at 05:00, now 12:00: it could run one hour (05:00-06:00) and finished 60 items.
    const estimate = estimateBatch(
      input({
        counts: counts(400, 60),
        startedAt: at("2026-01-15T05:00:00Z"),
        window: night,
        completeBy: at("2026-01-16T06:00:00Z"),
      }),
    );
    // 1/min, 340 left = 5h40m of window: tonight's 5 h, then 40 min the night after: 01:40 on the 17th.
    expect(estimate).toMatchObject({
      items_per_minute: 1,
      finish_at: "2026-01-17T01:40:00.000Z",
      on_track: false,
      basis: "measured",
    });
    expect(
      estimateBatch(
        input({
          counts: counts(400, 60),
          startedAt: at("2026-01-15T05:00:00Z"),
          window: night,
          completeBy: at("2026-01-17T06:00:00Z"),
        }),
      ).on_track,
    ).toBe(true);
  });

  it("off track at once, before any rate, when no window time is left before complete_by", () => {
    const estimate = estimateBatch(
      input({ status: "queued", window: night, completeBy: at("2026-01-15T23:00:00Z") }),
    );
    expect(estimate).toEqual({
      remaining: 100,
      items_per_minute: null,
      finish_at: null,
      on_track: false,
      basis: "no_time_left",
    });
  });

  it("waits for not_before before counting time ahead", () => {
    const estimate = estimateBatch(
      input({
        counts: counts(100, 50),
        startedAt: at("2026-01-15T11:10:00Z"),
        notBefore: at("2026-01-15T14:00:00Z"),
      }),
    );
    // 1/min, 50 left, from 14:00.
    expect(estimate.finish_at).toBe("2026-01-15T14:50:00.000Z");
  });

  it("a finished batch: its finish, and whether that was by complete_by; a cancelled one is not judged", () => {
    const base = {
      counts: counts(10, 10),
      startedAt: at("2026-01-15T11:00:00Z"),
      finishedAt: at("2026-01-15T11:10:00Z"),
    };
    expect(
      estimateBatch(input({ ...base, status: "completed", completeBy: at("2026-01-15T11:05:00Z") })),
    ).toEqual({
      remaining: 0,
      items_per_minute: 1,
      finish_at: "2026-01-15T11:10:00.000Z",
      on_track: false,
      basis: "finished",
    });
    expect(
      estimateBatch(input({ ...base, status: "cancelled", completeBy: at("2026-01-15T11:05:00Z") })),
    ).toMatchObject({ on_track: null, basis: "cancelled" });
    expect(estimateBatch(input({ counts: counts(10, 2, 0, 0, 8), status: "cancelled" }))).toMatchObject({
      remaining: 0,
      basis: "cancelled",
    });
  });
});

describe("the window in the batch object", () => {
  it("says whether it is open now and when that changes; null without a window", () => {
    expect(batchWindowView(undefined, at("2026-01-15T12:00:00Z"))).toBeNull();
    expect(batchWindowView(night, at("2026-01-15T12:00:00Z"))).toEqual({
      start: "01:00",
      end: "06:00",
      time_zone: "UTC",
      open: false,
      opens_at: "2026-01-16T01:00:00.000Z",
      closes_at: "2026-01-16T06:00:00.000Z",
    });
    expect(batchWindowView(night, at("2026-01-16T02:00:00Z"))).toMatchObject({ open: true, opens_at: null });
  });
});
