/**
 * The evaluation's arithmetic, free of I/O: a run's totals, the share of the accuracy gap a router
 * recovers, percentiles, and the random-routing baseline at equal cost.
 */
import type { GradedItem } from "./grade.ts";

export interface RunSummary {
  jobs: number;
  /** Sum of the jobs' `cost_usd` (every attempt counted). */
  costUsd: number;
  /** Share of jobs whose final answer was right, in [0, 1]. */
  accuracy: number;
  /** Share of jobs that ran on a tier other than their first. */
  escalatedShare: number;
  attemptsPerJob: number;
  /** Time to result (created → finished), nearest-rank percentiles. */
  p50Ms: number;
  p95Ms: number;
  /** Jobs that ended without an answer (failed or cancelled). */
  unanswered: number;
  /** Final answers by model. */
  answersByModel: Record<string, number>;
  /** Answers that are not their model's recorded text (should be 0). */
  answersNotRecorded: number;
}

export function summarizeRun(items: readonly GradedItem[]): RunSummary {
  const jobs = items.length;
  const share = (count: number) => (jobs === 0 ? 0 : count / jobs);
  const answersByModel: Record<string, number> = {};
  for (const item of items) {
    if (item.finalModel !== null)
      answersByModel[item.finalModel] = (answersByModel[item.finalModel] ?? 0) + 1;
  }
  const times = items.map((item) => item.timeToResultMs);
  return {
    jobs,
    costUsd: sum(items.map((item) => item.costUsd)),
    accuracy: share(items.filter((item) => item.correct).length),
    escalatedShare: share(items.filter((item) => item.escalated).length),
    attemptsPerJob: share(sum(items.map((item) => item.attempts))),
    p50Ms: percentile(times, 50),
    p95Ms: percentile(times, 95),
    unanswered: items.filter((item) => item.finalModel === null).length,
    answersByModel,
    answersNotRecorded: items.filter((item) => item.answerIsRecorded === false).length,
  };
}

/**
 * Nearest-rank percentile: the smallest value with at least `p`% of the values at or below it.
 * 0 for no values.
 */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[rank - 1] as number;
}

/**
 * Share of the accuracy gap between the cheap and the strong policy that `accuracy` recovers:
 * 0 = no better than always-cheap, 1 = as good as always-strong. Null when there is no gap.
 */
export function gapRecovered(accuracy: number, cheapAccuracy: number, strongAccuracy: number): number | null {
  const gap = strongAccuracy - cheapAccuracy;
  if (Math.abs(gap) < 1e-12) return null;
  return (accuracy - cheapAccuracy) / gap;
}

export interface RandomBaseline {
  /** Share of items sent to the strong model so that the expected cost equals the target. */
  shareToStrong: number;
  expectedCostUsd: number;
  expectedAccuracy: number;
  /** Seeded draws of the same policy: each item goes to the strong model with probability `shareToStrong`. */
  sampled: {
    seed: number;
    draws: number;
    meanAccuracy: number;
    meanCostUsd: number;
    /** 5th and 95th percentile of the drawn accuracies. */
    accuracyP05: number;
    accuracyP95: number;
  };
}

export interface RandomBaselineInput {
  /** Per record, in the same order: the always-cheap and the always-strong outcome. */
  cheap: readonly GradedItem[];
  strong: readonly GradedItem[];
  /** The cost to match (cheap-first's). */
  targetCostUsd: number;
  seed: number;
  /** @defaultValue 1000 */
  draws?: number;
}

/**
 * Random routing at equal cost, computed from the recorded outcomes of the two fixed policies:
 * sending each item to the strong model with probability p costs (1-p)·C_cheap + p·C_strong in
 * expectation, so p = (target - C_cheap) / (C_strong - C_cheap), clamped to [0, 1].
 */
export function randomAtEqualCost(input: RandomBaselineInput): RandomBaseline {
  const { cheap, strong } = input;
  if (cheap.length !== strong.length)
    throw new RangeError("cheap and strong runs must cover the same records");
  const n = cheap.length;
  const cheapCost = sum(cheap.map((item) => item.costUsd));
  const strongCost = sum(strong.map((item) => item.costUsd));
  const cheapAccuracy = n === 0 ? 0 : cheap.filter((item) => item.correct).length / n;
  const strongAccuracy = n === 0 ? 0 : strong.filter((item) => item.correct).length / n;
  const span = strongCost - cheapCost;
  const p = span <= 0 ? 0 : clamp01((input.targetCostUsd - cheapCost) / span);

  const draws = input.draws ?? 1000;
  const next = mulberry32(input.seed);
  const accuracies: number[] = [];
  let costTotal = 0;
  for (let draw = 0; draw < draws; draw++) {
    let correct = 0;
    let cost = 0;
    for (let index = 0; index < n; index++) {
      const item = next() < p ? strong[index] : cheap[index];
      if (item?.correct) correct++;
      cost += item?.costUsd ?? 0;
    }
    accuracies.push(n === 0 ? 0 : correct / n);
    costTotal += cost;
  }
  return {
    shareToStrong: p,
    expectedCostUsd: (1 - p) * cheapCost + p * strongCost,
    expectedAccuracy: (1 - p) * cheapAccuracy + p * strongAccuracy,
    sampled: {
      seed: input.seed,
      draws,
      meanAccuracy: draws === 0 ? 0 : sum(accuracies) / draws,
      meanCostUsd: draws === 0 ? 0 : costTotal / draws,
      accuracyP05: percentile(accuracies, 5),
      accuracyP95: percentile(accuracies, 95),
    },
  };
}

/**
 * Area under the ROC curve of `scores` for telling the positive items from the negative ones: the
 * probability that a random positive scores higher than a random negative (ties count half). 0.5 is
 * no better than chance; null without both kinds of items.
 */
export function rocAuc(items: ReadonlyArray<{ score: number; positive: boolean }>): number | null {
  const positives = items.filter((item) => item.positive).length;
  const negatives = items.length - positives;
  if (positives === 0 || negatives === 0) return null;
  // Rank-sum (Mann-Whitney U) with average ranks for ties.
  const sorted = [...items].sort((a, b) => a.score - b.score);
  let rankSumOfPositives = 0;
  for (let start = 0; start < sorted.length; ) {
    let end = start;
    while (end + 1 < sorted.length && sorted[end + 1]?.score === sorted[start]?.score) end++;
    const averageRank = (start + end) / 2 + 1;
    for (let index = start; index <= end; index++)
      if (sorted[index]?.positive) rankSumOfPositives += averageRank;
    start = end + 1;
  }
  return (rankSumOfPositives - (positives * (positives + 1)) / 2) / (positives * negatives);
}

/** A small seeded generator (mulberry32): uniform in [0, 1), the same sequence for the same seed. */
export function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

function sum(values: readonly number[]): number {
  return values.reduce((total, value) => total + value, 0);
}

function clamp01(value: number): number {
  return Math.min(1, Math.max(0, value));
}
