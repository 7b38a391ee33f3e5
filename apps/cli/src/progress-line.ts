import type { BatchCounts } from "./api-types.ts";
import { finishedCount } from "./api-types.ts";

/**
 * What a person reads while a batch runs: `[####------] 12/40 done · 1 failed · $0.0123 · ETA 1m 20s`.
 * Pure functions only; {@link ProgressReporter} decides when and how to draw them.
 */

/** One look at the batch: when, and its counts and cost then. */
export interface ProgressSample {
  atMs: number;
  counts: BatchCounts;
  costUsd: number;
  /** Said after the numbers: the batch is off track, or waits for the server's window. */
  note?: string;
}

const BAR_WIDTH = 20;

/**
 * Seconds until every item is finished at the rate observed between `first` and `latest`, or
 * null while nothing has finished since the first look (no rate yet).
 */
export function etaSeconds(first: ProgressSample, latest: ProgressSample): number | null {
  const done = finishedCount(latest.counts);
  const remaining = latest.counts.total - done;
  if (remaining <= 0) return 0;
  const progressed = done - finishedCount(first.counts);
  const elapsedMs = latest.atMs - first.atMs;
  if (progressed <= 0 || elapsedMs <= 0) return null;
  return Math.ceil((remaining * elapsedMs) / progressed / 1000);
}

/** `45s`, `3m 05s`, `2h 10m`. */
export function formatDuration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m ${String(s % 60).padStart(2, "0")}s`;
  return `${Math.floor(s / 3600)}h ${String(Math.floor((s % 3600) / 60)).padStart(2, "0")}m`;
}

/** USD with enough digits to show sub-cent amounts: `$0.000258`, `$0.0123`, `$12.34`. */
export function formatUsd(usd: number): string {
  if (usd === 0) return "$0.00";
  if (usd >= 1) return `$${usd.toFixed(2)}`;
  if (usd >= 0.01) return `$${usd.toFixed(4)}`;
  // Three significant digits, never in exponent notation (toPrecision gives 1.23e-7).
  return `$${usd.toFixed(Math.min(20, 2 - Math.floor(Math.log10(usd))))}`;
}

/** The progress line (no escape codes; at most ~80 characters for a batch under a million items). */
export function formatProgress(first: ProgressSample, latest: ProgressSample, bar: boolean): string {
  const { counts } = latest;
  const done = finishedCount(counts);
  const eta = etaSeconds(first, latest);
  const parts = [
    `${done}/${counts.total} done`,
    `${counts.failed} failed`,
    ...(counts.cancelled > 0 ? [`${counts.cancelled} cancelled`] : []),
    formatUsd(latest.costUsd),
    `ETA ${eta === null ? "--" : formatDuration(eta)}`,
    ...(latest.note ? [latest.note] : []),
  ];
  const text = parts.join(" · ");
  if (!bar) return text;
  const filled = counts.total > 0 ? Math.round((done / counts.total) * BAR_WIDTH) : 0;
  return `[${"#".repeat(filled)}${"-".repeat(BAR_WIDTH - filled)}] ${text}`;
}

/** The last line after waiting: what happened and what it cost. */
export function formatSummary(
  id: string,
  status: string,
  counts: BatchCounts,
  costUsd: number,
  elapsedMs: number,
): string {
  const parts = [`${counts.succeeded} succeeded`, `${counts.failed} failed`];
  if (counts.cancelled > 0) parts.push(`${counts.cancelled} cancelled`);
  return `batch ${id} ${status}: ${parts.join(", ")} of ${counts.total} · ${formatUsd(costUsd)} · ${formatDuration(elapsedMs / 1000)}`;
}
