import type { Registry } from "prom-client";
import { Counter, Histogram } from "prom-client";
import { HTTP_DURATION_BUCKETS_S } from "./buckets.ts";
import type { JobFinishedLabels } from "./job-metrics.ts";
import { defineJobsFinished } from "./job-metrics.ts";

/** The metric families the API process updates itself (the cluster gauges are read at scrape time). */
export interface ApiMetrics {
  jobsSubmitted: Counter<"class" | "task" | "tier">;
  jobsFinished: Counter<JobFinishedLabels>;
  httpDuration: Histogram<"method" | "route" | "status_class">;
}

/** Defines the API's families on `registry`, once per process. */
export function defineApiMetrics(registry: Registry): ApiMetrics {
  const registers = [registry];
  return {
    jobsSubmitted: new Counter({
      name: "llmr_jobs_submitted_total",
      help: "Jobs accepted (202) by this API process, by class, task and starting tier; an idempotent replay is not counted again.",
      labelNames: ["class", "task", "tier"],
      registers,
    }),
    jobsFinished: defineJobsFinished(registry),
    httpDuration: new Histogram({
      name: "llmr_http_request_duration_seconds",
      help: "HTTP requests answered by the API, by method, route template and status class (2xx, 4xx, 5xx).",
      labelNames: ["method", "route", "status_class"],
      buckets: HTTP_DURATION_BUCKETS_S,
      registers,
    }),
  };
}
