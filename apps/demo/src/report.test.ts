import { readFileSync } from "node:fs";
import { DEFAULT_CONFIG_PATH, parseConfig } from "@llmr/config";
import { describe, expect, it } from "vitest";
import type { DemoJob, JobAttempt } from "./api-reads.ts";
import type { ItemOutcome } from "./report.ts";
import { computeFigures, tierPath } from "./report.ts";

const config = parseConfig(readFileSync(DEFAULT_CONFIG_PATH, "utf8"), "router.default.yaml", { env: {} });

function attempt(tier: string, outcome: string, cost: number, tokens?: [number, number]): JobAttempt {
  return {
    n: 1,
    tier,
    provider: "simulated-openai",
    model: tier === "fast" ? "gpt-5.4-nano" : "gpt-5.4",
    outcome,
    usage: tokens ? { input_tokens: tokens[0], output_tokens: tokens[1] } : null,
    cost_usd: cost,
  };
}

function item(id: string, status: string, attempts: JobAttempt[]): ItemOutcome {
  const last = attempts.at(-1);
  const job: DemoJob = {
    id: `job_${id}`,
    status,
    attempts,
    cost_usd: attempts.reduce((sum, a) => sum + a.cost_usd, 0),
    result: status === "succeeded" ? { usage: last?.usage ?? null } : null,
  };
  const error = status === "succeeded" ? null : { type: "provider_error", message: "no answer" };
  return {
    result: { custom_id: id, job_id: job.id, status, output_text: "s", error, cost_usd: job.cost_usd },
    job,
  };
}

describe("computeFigures", () => {
  const outcomes = [
    item("a", "succeeded", [attempt("fast", "succeeded", 0.001, [1000, 100])]),
    item("b", "succeeded", [
      attempt("fast", "quality_failed", 0.001, [1000, 100]),
      attempt("capable", "succeeded", 0.004, [1000, 100]),
    ]),
    item("c", "failed", [attempt("fast", "error", 0), attempt("fast", "error", 0)]),
  ];
  const figures = computeFigures(outcomes, config, 1234);

  it("counts items, failures, escalations, final tiers and provider calls", () => {
    expect(figures).toMatchObject({ items: 3, succeeded: 2, failed: 1, attempts: 5, wallTimeMs: 1234 });
    expect(figures.failures).toEqual([{ custom_id: "c", status: "failed", error: "no answer" }]);
    expect(figures.escalations).toEqual([{ custom_id: "b", tiers: ["fast", "capable"] }]);
    expect(figures.finalTiers).toEqual({ fast: 2, capable: 1 });
    expect(figures.attemptsByProvider).toEqual({ "simulated-openai": 5 });
    expect(figures.tokens).toEqual({ input: 2000, output: 200 });
    expect(figures.costUsd).toBeCloseTo(0.006, 10);
  });

  it("prices each answered item's tokens at the top tier's first model (gpt-5.4: $2.50 / $15)", () => {
    const estimate = figures.capableEstimate;
    expect(estimate).toMatchObject({ tier: "capable", model: "gpt-5.4", unpricedItems: 1 });
    expect(estimate.pricePerMTokUsd).toEqual({ input: 2.5, output: 15 });
    // Two items of 1000 in + 100 out: 2 × (0.0025 + 0.0015).
    expect(estimate.costUsd).toBeCloseTo(0.008, 10);
    expect(estimate.method).toContain("gpt-5.4");
  });

  it("folds repeated attempts on one tier into one step of the path", () => {
    expect(tierPath(outcomes[2]?.job as DemoJob)).toEqual(["fast"]);
  });
});

describe("computeFigures for a document summarized in parts", () => {
  const part = (index: number, tier: string, outcome: string, tokens: [number, number]): JobAttempt => ({
    ...attempt(tier, outcome, 0.001, tokens),
    chunk: { round: 1, index, total: 2 },
  });
  const meeting = item("meeting", "succeeded", [
    part(1, "fast", "succeeded", [6000, 500]),
    part(2, "fast", "low_confidence", [5000, 400]),
    part(2, "standard", "succeeded", [5000, 450]),
    attempt("standard", "succeeded", 0.002, [1000, 300]),
  ]);
  const figures = computeFigures([meeting], config, 10);

  it("counts the parts apart: a part's move is not the job's escalation", () => {
    expect(figures.escalations).toEqual([]);
    expect(figures.mapReduce).toEqual({ items: 1, parts: 2, partsEscalated: 1 });
    expect(figures.finalTiers).toEqual({ standard: 1 });
  });

  it("prices the whole document for the one-call-on-the-top-tier estimate", () => {
    // 6000 + 5000 input tokens (the parts' last calls) and the kept answer's 300 output tokens.
    expect(figures.capableEstimate.costUsd).toBeCloseTo((11_000 * 2.5 + 300 * 15) / 1_000_000, 10);
  });
});
