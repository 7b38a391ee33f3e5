import { describe, expect, it } from "vitest";
import type { GradedItem } from "./grade.ts";
import { gapRecovered, mulberry32, percentile, randomAtEqualCost, rocAuc, summarizeRun } from "./metrics.ts";

function item(overrides: Partial<GradedItem>): GradedItem {
  return {
    recordId: "r",
    status: "succeeded",
    finalModel: "cheap",
    finalTier: "fast",
    correct: true,
    answerIsRecorded: true,
    costUsd: 1,
    attempts: 1,
    escalated: false,
    attemptTiers: ["fast"],
    attemptOutcomes: ["succeeded"],
    timeToResultMs: 10,
    ...overrides,
  };
}

describe("percentile", () => {
  it("is the nearest rank: the smallest value with at least p% at or below it", () => {
    const values = [5, 1, 4, 2, 3, 6, 7, 8, 9, 10];
    expect(percentile(values, 50)).toBe(5);
    expect(percentile(values, 95)).toBe(10);
    expect(percentile(values, 10)).toBe(1);
    expect(percentile([42], 95)).toBe(42);
    expect(percentile([], 50)).toBe(0);
  });
});

describe("gapRecovered", () => {
  it("is 0 at the cheap accuracy, 1 at the strong one, and null without a gap", () => {
    expect(gapRecovered(0.6, 0.6, 0.8)).toBe(0);
    expect(gapRecovered(0.8, 0.6, 0.8)).toBe(1);
    expect(gapRecovered(0.7, 0.6, 0.8)).toBeCloseTo(0.5, 12);
    expect(gapRecovered(0.5, 0.6, 0.8)).toBeCloseTo(-0.5, 12);
    expect(gapRecovered(0.7, 0.7, 0.7)).toBeNull();
  });
});

describe("summarizeRun", () => {
  it("totals cost, accuracy, escalation, attempts, times and the models that answered", () => {
    const summary = summarizeRun([
      item({ costUsd: 0.5, timeToResultMs: 30 }),
      item({
        correct: false,
        costUsd: 2,
        attempts: 2,
        escalated: true,
        finalModel: "strong",
        timeToResultMs: 10,
      }),
      item({ correct: false, finalModel: null, answerIsRecorded: null, attempts: 3, timeToResultMs: 20 }),
      item({ answerIsRecorded: false, timeToResultMs: 40 }),
    ]);
    expect(summary).toEqual({
      jobs: 4,
      costUsd: 4.5,
      accuracy: 0.5,
      escalatedShare: 0.25,
      attemptsPerJob: 7 / 4,
      p50Ms: 20,
      p95Ms: 40,
      unanswered: 1,
      answersByModel: { cheap: 2, strong: 1 },
      answersNotRecorded: 1,
    });
  });
});

describe("randomAtEqualCost", () => {
  // Cheap: $1 each, right on 2 of 4. Strong: $9 each, right on all 4.
  const cheap = [item({}), item({}), item({ correct: false }), item({ correct: false })];
  const strong = cheap.map(() => item({ costUsd: 9, finalModel: "strong" }));

  it("sends the share of items to the strong model that spends the target cost, in expectation", () => {
    // Target $12: (12 - 4) / (36 - 4) = 0.25 of the items go to the strong model.
    const baseline = randomAtEqualCost({ cheap, strong, targetCostUsd: 12, seed: 7, draws: 4000 });
    expect(baseline.shareToStrong).toBeCloseTo(0.25, 12);
    expect(baseline.expectedCostUsd).toBeCloseTo(12, 12);
    expect(baseline.expectedAccuracy).toBeCloseTo(0.5 + 0.25 * 0.5, 12);
    expect(baseline.sampled.meanAccuracy).toBeCloseTo(0.625, 1);
    expect(baseline.sampled.meanCostUsd).toBeCloseTo(12, 0);
    expect(baseline.sampled.accuracyP05).toBeLessThanOrEqual(baseline.sampled.accuracyP95);
  });

  it("is reproducible for a seed and clamps the share to [0, 1]", () => {
    const once = randomAtEqualCost({ cheap, strong, targetCostUsd: 20, seed: 3, draws: 50 });
    const again = randomAtEqualCost({ cheap, strong, targetCostUsd: 20, seed: 3, draws: 50 });
    expect(again).toEqual(once);
    expect(randomAtEqualCost({ cheap, strong, targetCostUsd: 1, seed: 1, draws: 1 }).shareToStrong).toBe(0);
    expect(randomAtEqualCost({ cheap, strong, targetCostUsd: 99, seed: 1, draws: 1 }).shareToStrong).toBe(1);
  });

  it("refuses runs over different records", () => {
    expect(() => randomAtEqualCost({ cheap, strong: strong.slice(1), targetCostUsd: 5, seed: 1 })).toThrow(
      RangeError,
    );
  });
});

describe("mulberry32", () => {
  it("gives the same sequence for the same seed, in [0, 1)", () => {
    const a = mulberry32(5);
    const b = mulberry32(5);
    const values = Array.from({ length: 100 }, () => a());
    expect(Array.from({ length: 100 }, () => b())).toEqual(values);
    expect(values.every((value) => value >= 0 && value < 1)).toBe(true);
    expect(new Set(values).size).toBe(100);
  });
});

describe("rocAuc", () => {
  const at = (score: number, positive: boolean) => ({ score, positive });

  it("is 1 for scores that separate the classes, 0 for reversed ones, 0.5 for ties", () => {
    expect(rocAuc([at(0.9, true), at(0.8, true), at(0.2, false)])).toBe(1);
    expect(rocAuc([at(0.1, true), at(0.8, false)])).toBe(0);
    expect(rocAuc([at(0.5, true), at(0.5, false)])).toBe(0.5);
  });

  it("counts the pairs a score orders right, and is null without both classes", () => {
    // Pairs (positive, negative): (0.7, 0.6) right, (0.7, 0.8) wrong, (0.9, 0.6) right, (0.9, 0.8) right.
    expect(rocAuc([at(0.7, true), at(0.9, true), at(0.6, false), at(0.8, false)])).toBe(0.75);
    expect(rocAuc([at(0.7, true)])).toBeNull();
  });
});
