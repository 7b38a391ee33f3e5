import { describe, expect, it } from "vitest";
import { alwaysPolicyName, buildRoutingReport } from "./build-routing-report.ts";
import { parseEvalConfig } from "./eval-config.ts";
import type { FinishedJob } from "./job-client.ts";
import type { ReplayRecord } from "./replay-dataset.ts";

const evalConfig = parseEvalConfig(
  {
    models: {
      cheap: { price_per_mtok_usd: { input: 1, output: 1 } },
      strong: { price_per_mtok_usd: { input: 10, output: 10 } },
    },
    tiers: [
      { name: "fast", model: "cheap" },
      { name: "capable", model: "strong" },
    ],
  },
  "inline",
);

// Cheap is right on records 0 and 1, strong on 0, 1, 2 and 3.
const records: ReplayRecord[] = [0, 1, 2, 3].map((index) => ({
  id: `r${index}`,
  task: "math",
  messages: [{ role: "user", content: `q${index}` }],
  responses: {
    cheap: { text: `c${index}`, correct: index < 2 },
    strong: { text: `s${index}`, correct: true },
  },
}));

function job(index: number, tiers: string[], costUsd: number): FinishedJob {
  const strong = tiers.at(-1) === "capable";
  return {
    id: `job_${index}`,
    status: "succeeded",
    tier: tiers.at(-1) ?? "fast",
    routing: { initial_tier: tiers[0] ?? "fast" },
    result: {
      output_text: strong ? `s${index}` : `c${index}`,
      model: strong ? "strong" : "cheap",
      tier: "x",
    },
    attempts: tiers.map((tier, n) => ({
      n: n + 1,
      tier,
      model: "m",
      outcome: "succeeded",
      latency_ms: 1,
      cost_usd: 0,
    })),
    cost_usd: costUsd,
    error: null,
    created_at: "2026-01-01T00:00:00.000Z",
    finished_at: `2026-01-01T00:00:00.${String(index + 1).padStart(3, "0")}Z`,
  };
}

describe("buildRoutingReport", () => {
  const report = buildRoutingReport({
    records,
    evalConfig,
    replayFiles: ["f.jsonl"],
    plans: [
      { name: "cheap-first", request: {} },
      { name: "always-cheap", request: { tier: "fast", max_tier: "fast" } },
      { name: "always-strong", request: { tier: "capable", max_tier: "capable" } },
    ],
    jobsByPolicy: new Map([
      // Cheap-first keeps records 0 and 1 cheap and escalates 2 (fixed) but not 3.
      [
        "cheap-first",
        [job(0, ["fast"], 1), job(1, ["fast"], 1), job(2, ["fast", "capable"], 11), job(3, ["fast"], 1)],
      ],
      ["always-cheap", [0, 1, 2, 3].map((index) => job(index, ["fast"], 1))],
      ["always-strong", [0, 1, 2, 3].map((index) => job(index, ["capable"], 10))],
    ]),
    minConfidence: 0.5,
    sweep: [],
    seed: 1,
    startedAtMs: 0,
    finishedAtMs: 2500,
  });

  it("relates cheap-first to the fixed policies and says so on the headline", () => {
    const cheapFirst = report.policies[0];
    expect(cheapFirst?.summary).toMatchObject({ costUsd: 14, accuracy: 0.75, escalatedShare: 0.25 });
    expect(cheapFirst?.costShareOfStrong).toBeCloseTo(14 / 40, 12);
    expect(cheapFirst?.gapRecovered).toBeCloseTo(0.5, 12);
    expect(report.headline).toBe(
      "cheap-first: cost 35.0% of always-strong, accuracy 75.0%, gap recovered 50.0%, escalated 25.0%",
    );
    expect(report.durationS).toBe(2.5);
  });

  it("prices random routing at cheap-first's cost: (14 - 4) / (40 - 4) of the items to the strong model", () => {
    expect(report.random.shareToStrong).toBeCloseTo(10 / 36, 12);
    expect(report.random.expectedAccuracy).toBeCloseTo(0.5 + (10 / 36) * 0.5, 12);
    expect(report.random.gapRecovered).toBeCloseTo(10 / 36, 12);
  });

  it("names the fixed policies by tier position", () => {
    expect([0, 1, 2].map((index) => alwaysPolicyName(index, 3, `t${index}`))).toEqual([
      "always-cheap",
      "always-t1",
      "always-strong",
    ]);
  });

  it("rates the router's confidence in the cheap answers against the recorded verdicts, when attempts carry it", () => {
    expect(report.cheapConfidence).toBeNull();
    const confidences = [0.9, 0.8, 0.3, 0.85];
    const withConfidence = [0, 1, 2, 3].map((index) => {
      const plain = job(index, ["fast"], 1);
      const attempts = plain.attempts.map((a) => ({
        ...a,
        confidence: confidences[index],
        confidence_signal: "text",
      }));
      return { ...plain, attempts };
    });
    const rated = buildRoutingReport({
      records,
      evalConfig,
      replayFiles: [],
      plans: [{ name: "cheap-first", request: {} }],
      jobsByPolicy: new Map([
        ["cheap-first", withConfidence],
        ["always-cheap", withConfidence],
      ]),
      minConfidence: null,
      sweep: [],
      seed: 1,
      startedAtMs: 0,
      finishedAtMs: 0,
    });
    // Right answers 0.9 and 0.8, wrong ones 0.3 and 0.85: three of the four pairs ordered right.
    expect(rated.cheapConfidence).toEqual({
      model: "cheap",
      scored: 4,
      signals: { text: 4 },
      rocAuc: 0.75,
      meanWhenRight: expect.closeTo(0.85, 12),
      meanWhenWrong: expect.closeTo(0.575, 12),
    });
    expect(rated.jobObjectGaps).toEqual([]);
  });
});
