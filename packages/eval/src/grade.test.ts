import { describe, expect, it } from "vitest";
import { gradeJob } from "./grade.ts";
import type { FinishedJob } from "./job-client.ts";
import type { ReplayRecord } from "./replay-dataset.ts";

const record: ReplayRecord = {
  id: "r1",
  task: "math",
  messages: [{ role: "user", content: "2 + 2?" }],
  responses: {
    cheap: { text: "5", correct: false },
    strong: { text: "4", correct: true },
  },
};

function attempt(tier: string, model: string, outcome: string) {
  return { n: 1, tier, model, outcome, latency_ms: 3, cost_usd: 0.01 };
}

function job(overrides: Partial<FinishedJob>): FinishedJob {
  return {
    id: "job_1",
    status: "succeeded",
    tier: "fast",
    routing: { initial_tier: "fast" },
    result: { output_text: "5", model: "cheap", tier: "fast" },
    attempts: [attempt("fast", "cheap", "succeeded")],
    cost_usd: 0.01,
    error: null,
    created_at: "2026-01-01T00:00:00.000Z",
    finished_at: "2026-01-01T00:00:00.250Z",
    ...overrides,
  };
}

describe("gradeJob", () => {
  it("grades by the recorded verdict of the model that gave the final answer", () => {
    expect(gradeJob(record, job({}))).toMatchObject({
      correct: false,
      finalModel: "cheap",
      escalated: false,
      attempts: 1,
      answerIsRecorded: true,
      timeToResultMs: 250,
    });
  });

  it("counts a job that moved to another tier as escalated, graded by its final model", () => {
    const escalated = job({
      tier: "capable",
      result: { output_text: " 4\n", model: "strong", tier: "capable" },
      attempts: [attempt("fast", "cheap", "low_confidence"), attempt("capable", "strong", "succeeded")],
      cost_usd: 0.02,
    });
    expect(gradeJob(record, escalated)).toMatchObject({
      correct: true,
      escalated: true,
      attempts: 2,
      costUsd: 0.02,
      answerIsRecorded: true,
      attemptOutcomes: ["low_confidence", "succeeded"],
    });
  });

  it("grades a job without an answer wrong, and flags an answer that is not the recording", () => {
    const failed = job({
      status: "failed",
      result: null,
      error: { type: "quality_check_failed", message: "x" },
    });
    expect(gradeJob(record, failed)).toMatchObject({
      correct: false,
      finalModel: null,
      answerIsRecorded: null,
    });
    const other = job({ result: { output_text: "four", model: "strong", tier: "fast" } });
    expect(gradeJob(record, other)).toMatchObject({ correct: true, answerIsRecorded: false });
  });
});
