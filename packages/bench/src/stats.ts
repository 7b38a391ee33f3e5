/** Latency percentiles of one measured series, in milliseconds. */
export interface LatencySummary {
  count: number;
  p50Ms: number;
  p99Ms: number;
  meanMs: number;
}

/** Nearest-rank percentile of an ascending-sorted array; `p` in [0, 100]. */
export function percentile(sortedMs: readonly number[], p: number): number {
  if (sortedMs.length === 0) return Number.NaN;
  const rank = Math.ceil((p / 100) * sortedMs.length) - 1;
  return sortedMs[Math.min(sortedMs.length - 1, Math.max(0, rank))] ?? Number.NaN;
}

/** p50, p99 and mean of `samplesMs` (any order). */
export function summarize(samplesMs: readonly number[]): LatencySummary {
  const sorted = [...samplesMs].sort((a, b) => a - b);
  const totalMs = sorted.reduce((sum, value) => sum + value, 0);
  return {
    count: sorted.length,
    p50Ms: round(percentile(sorted, 50)),
    p99Ms: round(percentile(sorted, 99)),
    meanMs: round(sorted.length === 0 ? Number.NaN : totalMs / sorted.length),
  };
}

/** Rounds to 3 decimals: microsecond resolution is all a millisecond figure here can claim. */
export function round(value: number, decimals = 3): number {
  const scale = 10 ** decimals;
  return Math.round(value * scale) / scale;
}

/** `ours / baseline`, rounded; NaN when the baseline is zero. */
export function ratio(ours: number, baseline: number): number {
  return baseline === 0 ? Number.NaN : round(ours / baseline);
}
