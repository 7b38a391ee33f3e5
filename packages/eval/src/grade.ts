/**
 * Grading: what one finished job says about one record. The verdict is the recorded `correct` flag of
 * the model that produced the job's final answer; the router never saw it. Everything else is read
 * from the public job object.
 */
import type { FinishedJob } from "./job-client.ts";
import type { ReplayRecord } from "./replay-dataset.ts";

export interface GradedItem {
  recordId: string;
  status: FinishedJob["status"];
  /** Model of the final answer; null when the job ended without one. */
  finalModel: string | null;
  finalTier: string | null;
  /** The recorded verdict on the final model's answer; false for a job without an answer. */
  correct: boolean;
  /**
   * Whether the answer is the recorded text of its model (whitespace at the ends aside). False means
   * the replay did not serve what the grade assumes (a cut answer, a prompt that matched the wrong record).
   */
  answerIsRecorded: boolean | null;
  costUsd: number;
  attempts: number;
  /** The job ran on a tier other than the one it started on. */
  escalated: boolean;
  /** Tier of each attempt, in order. */
  attemptTiers: string[];
  /** Outcome of each attempt, in order. */
  attemptOutcomes: string[];
  /** `created_at` → `finished_at`. */
  timeToResultMs: number;
}

export function gradeJob(record: ReplayRecord, job: FinishedJob): GradedItem {
  const result = job.status === "succeeded" ? job.result : null;
  const recorded = result ? record.responses[result.model] : undefined;
  return {
    recordId: record.id,
    status: job.status,
    finalModel: result?.model ?? null,
    finalTier: result?.tier ?? null,
    correct: recorded?.correct === true,
    answerIsRecorded:
      result && recorded ? result.output_text.trim() === recorded.text.trim() : result ? false : null,
    costUsd: job.cost_usd,
    attempts: job.attempts.length,
    escalated: job.attempts.some((attempt) => attempt.tier !== job.routing.initial_tier),
    attemptTiers: job.attempts.map((attempt) => attempt.tier),
    attemptOutcomes: job.attempts.map((attempt) => attempt.outcome),
    timeToResultMs: Date.parse(job.finished_at) - Date.parse(job.created_at),
  };
}
