import type { Registry } from "prom-client";
import { Counter } from "prom-client";

/** Label set of a finished job: all bounded (classes, tasks and tiers come from the config). */
export type JobFinishedLabels = "class" | "task" | "tier" | "status" | "error_type";

/**
 * `llmr_jobs_finished_total`, in both processes: the worker counts the jobs it made succeed or
 * fail, the API the jobs it cancelled. Each is counted by the one write that made it final.
 */
export function defineJobsFinished(registry: Registry): Counter<JobFinishedLabels> {
  return new Counter({
    name: "llmr_jobs_finished_total",
    help: "Jobs that reached a final status (succeeded, failed, cancelled), by class, task, last tier and error type.",
    labelNames: ["class", "task", "tier", "status", "error_type"],
    registers: [registry],
  });
}

/** Error types a failed job can carry; anything else is counted as `other` so the label stays bounded. */
export const JOB_ERROR_TYPES: ReadonlySet<string> = new Set([
  "quality_check_failed",
  "attempts_exhausted",
  "provider_error",
  "deadline_exceeded",
  "no_capacity",
  "chunk_failed",
  "input_too_long",
]);

/** The `error_type` label of a finished job: `none` for a job without error. */
export function errorTypeLabel(error: { type: string } | null | undefined): string {
  if (!error) return "none";
  return JOB_ERROR_TYPES.has(error.type) ? error.type : "other";
}
