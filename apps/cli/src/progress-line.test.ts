import { describe, expect, it } from "vitest";
import type { BatchCounts } from "./api-types.ts";
import type { ProgressSample } from "./progress-line.ts";
import { etaSeconds, formatDuration, formatProgress, formatSummary, formatUsd } from "./progress-line.ts";
import { ProgressReporter } from "./progress-reporter.ts";

const counts = (total: number, succeeded: number, failed = 0): BatchCounts => ({
  total,
  queued: total - succeeded - failed,
  running: 0,
  succeeded,
  failed,
  cancelled: 0,
});
const sample = (atMs: number, done: number, failed = 0, costUsd = 0): ProgressSample => ({
  atMs,
  counts: counts(40, done - failed, failed),
  costUsd,
});

describe("progress line", () => {
  it("ETA from the observed rate: 10 items in 20 s, 25 left → 50 s; no rate yet → --", () => {
    expect(etaSeconds(sample(0, 5), sample(20_000, 15))).toBe(50);
    expect(etaSeconds(sample(0, 0), sample(20_000, 20))).toBe(20);
    expect(etaSeconds(sample(0, 3), sample(5_000, 3))).toBeNull();
    expect(etaSeconds(sample(0, 3), sample(5_000, 40))).toBe(0);
  });

  it("shows done/total, failed, cost and ETA, with a bar on a terminal", () => {
    expect(formatProgress(sample(0, 0), sample(20_000, 20, 1, 0.0123), true)).toBe(
      "[##########----------] 20/40 done · 1 failed · $0.0123 · ETA 20s",
    );
    expect(formatProgress(sample(0, 0), sample(0, 0), false)).toBe("0/40 done · 0 failed · $0.00 · ETA --");
  });

  it("formats money and durations for people", () => {
    expect([
      formatUsd(0),
      formatUsd(1.23e-7),
      formatUsd(0.000258),
      formatUsd(0.0123),
      formatUsd(12.346),
    ]).toEqual(["$0.00", "$0.000000123", "$0.000258", "$0.0123", "$12.35"]);
    expect([formatDuration(45), formatDuration(185), formatDuration(7800)]).toEqual([
      "45s",
      "3m 05s",
      "2h 10m",
    ]);
    expect(formatSummary("batch_1", "completed", counts(3, 2, 1), 0.5, 65_000)).toBe(
      "batch batch_1 completed: 2 succeeded, 1 failed of 3 · $0.5000 · 1m 05s",
    );
  });
});

describe("ProgressReporter", () => {
  const capture = (tty: boolean) => {
    let clock = 0;
    const writes: string[] = [];
    const reporter = new ProgressReporter(
      { write: (text: string) => writes.push(text) },
      { tty, now: () => clock },
    );
    return { writes, reporter, advance: (ms: number) => (clock += ms) };
  };

  it("on a terminal redraws one line in place, at most every 250 ms, and ends it with a newline", () => {
    const { writes, reporter, advance } = capture(true);
    reporter.update(sample(0, 0));
    advance(100);
    reporter.update(sample(100, 1)); // too soon: skipped
    advance(200);
    reporter.update(sample(300, 2));
    reporter.finish();
    expect(writes).toHaveLength(3);
    expect(writes[0]).toMatch(/^\r\[-+\] 0\/40 done/);
    expect(writes[0]?.endsWith("\x1b[K")).toBe(true); // erases what a longer line left behind
    expect(writes[1]).toMatch(/^\r\[#?-+\] 2\/40 done/);
    expect(writes[2]).toBe("\n");
  });

  it("a note ends the live line, stands on its own, and the next sample is drawn at once", () => {
    const { writes, reporter, advance } = capture(true);
    reporter.update(sample(0, 1));
    reporter.note("cannot reach the API; retrying");
    advance(10);
    reporter.update(sample(10, 2));
    expect(writes.slice(1)).toEqual([
      "\n",
      "cannot reach the API; retrying\n",
      expect.stringMatching(/^\r\[#?-+\] 2\/40 done/),
    ]);
  });

  it("elsewhere writes plain lines (no escape codes) every 10 s, and always when forced (the end)", () => {
    const { writes, reporter, advance } = capture(false);
    reporter.update(sample(0, 0));
    advance(5_000);
    reporter.update(sample(5_000, 4));
    advance(5_000);
    reporter.update(sample(10_000, 8));
    advance(1_000);
    reporter.update(sample(11_000, 40), true);
    reporter.finish();
    expect(writes).toEqual([
      "0/40 done · 0 failed · $0.00 · ETA --\n",
      "8/40 done · 0 failed · $0.00 · ETA 40s\n",
      "40/40 done · 0 failed · $0.00 · ETA 0s\n",
    ]);
    expect(writes.join("")).not.toContain("\x1b");
  });
});
