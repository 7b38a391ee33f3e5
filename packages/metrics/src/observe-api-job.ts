import type { PublicJob } from "@llmr/core";
import type { ApiMetrics } from "./api-metrics.ts";
import { errorTypeLabel } from "./job-metrics.ts";

/** Counts a job the API accepted (once: an idempotent replay does not come through here). */
export function countSubmittedJob(metrics: Pick<ApiMetrics, "jobsSubmitted">, job: PublicJob): void {
  metrics.jobsSubmitted.inc({ class: job.class, task: job.task, tier: job.routing.initial_tier });
}

/** Counts a job the API cancelled, by the one request whose write cancelled it. */
export function countCancelledJob(metrics: Pick<ApiMetrics, "jobsFinished">, job: PublicJob): void {
  metrics.jobsFinished.inc({
    class: job.class,
    task: job.task,
    tier: job.tier,
    status: job.status,
    error_type: errorTypeLabel(job.error),
  });
}
