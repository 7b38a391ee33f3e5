import { describe, expect, it } from "vitest";
import type { FinishedJob } from "./job-client.ts";
import { mechanicsWorkload, summarizeKind } from "./run-mechanics.ts";

function job(tiers: string[], finalTier: string | null): FinishedJob {
  return {
    id: "job",
    status: finalTier ? "succeeded" : "failed",
    tier: tiers.at(-1) ?? "fast",
    routing: { initial_tier: "fast" },
    result: finalTier ? { output_text: "x", model: "m", tier: finalTier } : null,
    attempts: tiers.map((tier, index) => ({
      n: index + 1,
      tier,
      model: "m",
      outcome: index === tiers.length - 1 && finalTier ? "succeeded" : "low_confidence",
      latency_ms: 1,
      cost_usd: 0,
    })),
    cost_usd: 0,
    error: finalTier ? null : { type: "x", message: "x" },
    created_at: "2026-01-01T00:00:00Z",
    finished_at: "2026-01-01T00:00:01Z",
  };
}

describe("the mechanics workload", () => {
  it("interleaves easy and hard prompts, each with its marker", () => {
    const workload = mechanicsWorkload(3);
    expect(workload.map((item) => item.kind)).toEqual(["easy", "hard", "easy", "hard", "easy", "hard"]);
    expect(workload[1]?.submission.messages[0]?.content).toMatch(/\[\[sim difficulty=hard\]\]$/);
    expect(new Set(workload.map((item) => item.submission.messages[0]?.content)).size).toBe(6);
  });

  it("summarizes where the jobs of a kind ended up", () => {
    const result = summarizeKind("hard", [
      job(["fast"], "fast"),
      job(["fast", "standard", "capable"], "capable"),
      job(["fast", "capable"], null),
    ]);
    expect(result).toEqual({
      kind: "hard",
      jobs: 3,
      finalTiers: { fast: 1, capable: 1, none: 1 },
      stayedShare: 1 / 3,
      escalatedShare: 2 / 3,
      attemptsPerJob: 2,
      attemptOutcomes: { succeeded: 2, low_confidence: 4 },
    });
  });
});
