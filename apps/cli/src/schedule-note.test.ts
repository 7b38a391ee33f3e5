import { describe, expect, it } from "vitest";
import type { BatchObject } from "./api-types.ts";
import { formatProgress } from "./progress-line.ts";
import { scheduleNote } from "./schedule-note.ts";

const now = new Date("2026-01-15T04:00:00Z");
const batch = (fields: Partial<BatchObject>): BatchObject => ({
  id: "batch_1",
  object: "batch",
  status: "running",
  counts: { total: 100, queued: 60, running: 2, succeeded: 38, failed: 0, cancelled: 0 },
  cost_usd: 0.01,
  created_at: "2026-01-15T01:00:00Z",
  finished_at: null,
  complete_by: "2026-01-15T05:00:00Z",
  ...fields,
});
const estimate = (fields: Partial<NonNullable<BatchObject["estimate"]>>) => ({
  remaining: 62,
  items_per_minute: 0.3,
  finish_at: null,
  on_track: null,
  basis: "measured",
  ...fields,
});

describe("the schedule note of llmr batch status and the progress line", () => {
  it("off track: the estimated finish after complete_by, in the user's zone", () => {
    const late = batch({ estimate: estimate({ on_track: false, finish_at: "2026-01-15T06:40:00Z" }) });
    expect(scheduleNote(late, "Europe/Berlin", now)).toBe(
      "off track: est. finish 07:40 after complete_by 06:00",
    );
    expect(scheduleNote(late, "UTC", now)).toBe("off track: est. finish 06:40 after complete_by 05:00");
    const nextDay = batch({ estimate: estimate({ on_track: false, finish_at: "2026-01-16T02:10:00Z" }) });
    expect(scheduleNote(nextDay, "UTC", now)).toBe(
      "off track: est. finish 2026-01-16 02:10 after complete_by 05:00",
    );
    const noTime = batch({
      estimate: estimate({ on_track: false, basis: "no_time_left", items_per_minute: null }),
    });
    expect(scheduleNote(noTime, "UTC", now)).toBe(
      "off track: no batch window time left before complete_by 05:00",
    );
  });

  it("waiting for the server's window; nothing when on track, finished, or from a server without estimates", () => {
    const waiting = batch({
      status: "queued",
      complete_by: null,
      window: {
        start: "01:00",
        end: "06:00",
        time_zone: "Europe/Berlin",
        open: false,
        opens_at: "2026-01-16T00:00:00Z",
        closes_at: "2026-01-16T05:00:00Z",
      },
      estimate: estimate({ basis: "not_started" }),
    });
    expect(scheduleNote(waiting, "Europe/Berlin", now)).toBe(
      "waiting for the batch window 01:00-06:00 Europe/Berlin (opens 2026-01-16 01:00)",
    );
    expect(scheduleNote(batch({ estimate: estimate({ on_track: true }) }), "UTC", now)).toBeUndefined();
    expect(scheduleNote(batch({}), "UTC", now)).toBeUndefined();
    expect(
      scheduleNote(
        batch({ finished_at: "2026-01-15T06:00:00Z", estimate: estimate({ on_track: false }) }),
        "UTC",
        now,
      ),
    ).toBeUndefined();
  });

  it("goes at the end of the progress line", () => {
    const sample = { atMs: 0, counts: batch({}).counts, costUsd: 0.01 };
    expect(
      formatProgress(
        sample,
        { ...sample, note: "off track: est. finish 06:40 after complete_by 05:00" },
        false,
      ),
    ).toBe(
      "38/100 done · 0 failed · $0.0100 · ETA -- · off track: est. finish 06:40 after complete_by 05:00",
    );
  });
});
