import { Writable } from "node:stream";
import type { PublicBatch } from "@llmr/core";
import { pino } from "pino";
import { describe, expect, it } from "vitest";
import { logBatchTrackEvent, logBatchWindowEvent } from "./log-batch-schedule.ts";

function capture() {
  const lines: Array<Record<string, unknown>> = [];
  const sink = new Writable({
    write(chunk, _encoding, done) {
      lines.push(JSON.parse(String(chunk)) as Record<string, unknown>);
      done();
    },
  });
  return { logger: pino({ level: "info" }, sink), lines };
}

const batch: PublicBatch = {
  id: "batch_1",
  object: "batch",
  status: "running",
  counts: { total: 100, queued: 80, running: 2, succeeded: 18, failed: 0, cancelled: 0 },
  cost_usd: 0.01,
  created_at: "2026-01-15T00:00:00.000Z",
  finished_at: null,
  not_before: null,
  complete_by: "2026-01-15T05:00:00.000Z",
  started_at: "2026-01-15T01:00:00.000Z",
  cancel_requested_at: null,
  window: null,
  estimate: {
    remaining: 82,
    items_per_minute: 0.3,
    finish_at: "2026-01-15T05:33:20.000Z",
    on_track: false,
    basis: "measured",
  },
};

describe("batch scheduling log lines", () => {
  it("warns when a batch goes off track, with what an operator needs to act on it", () => {
    const { logger, lines } = capture();
    logBatchTrackEvent(logger, { type: "off_track", batch });
    expect(lines).toEqual([
      expect.objectContaining({
        level: 40,
        batch_id: "batch_1",
        remaining: 82,
        items_per_minute: 0.3,
        estimated_finish_at: "2026-01-15T05:33:20.000Z",
        complete_by: "2026-01-15T05:00:00.000Z",
        msg: "batch batch_1 will not finish by complete_by 2026-01-15T05:00:00.000Z: 82 items left; at 0.3 items/min the rest is done at 2026-01-15T05:33:20.000Z",
      }),
    ]);
  });

  it("says when no window time is left, and when a batch is back on track (info)", () => {
    const { logger, lines } = capture();
    logBatchTrackEvent(logger, {
      type: "off_track",
      batch: {
        ...batch,
        estimate: { ...batch.estimate, basis: "no_time_left", items_per_minute: null, finish_at: null },
      },
    });
    logBatchTrackEvent(logger, {
      type: "back_on_track",
      batch: {
        ...batch,
        estimate: { ...batch.estimate, on_track: true, finish_at: "2026-01-15T04:00:00.000Z" },
      },
    });
    expect(lines[0]?.msg).toMatch(/no batch window time is left before complete_by$/);
    expect(lines[1]).toMatchObject({
      level: 30,
      msg: expect.stringMatching(/^batch batch_1 is back on track: 82 items left/),
    });
  });

  it("tells when batch work pauses and resumes, and until when", () => {
    const { logger, lines } = capture();
    logBatchWindowEvent(logger, {
      type: "batch_window_closed",
      opensAt: new Date("2026-01-16T00:00:00Z"),
      queues: ["fast-batch"],
    });
    logBatchWindowEvent(logger, {
      type: "batch_window_opened",
      closesAt: new Date("2026-01-16T05:00:00Z"),
      queues: ["fast-batch"],
    });
    expect(lines.map((line) => line.msg)).toEqual([
      "batch window closed: batch queues take no new jobs until 2026-01-16T00:00:00.000Z (calls running finish)",
      "batch window open: batch queues take jobs until 2026-01-16T05:00:00.000Z",
    ]);
  });
});
