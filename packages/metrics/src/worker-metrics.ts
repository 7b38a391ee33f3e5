import type { Registry } from "prom-client";
import { Counter, Gauge, Histogram } from "prom-client";
import { PROVIDER_LATENCY_BUCKETS_S, QUEUE_WAIT_BUCKETS_S, RATE_LIMIT_WAIT_BUCKETS_S } from "./buckets.ts";
import type { JobFinishedLabels } from "./job-metrics.ts";
import { defineJobsFinished } from "./job-metrics.ts";

/** The metric families a worker process updates (see the README's table). */
export interface WorkerMetrics {
  jobsFinished: Counter<JobFinishedLabels>;
  attempts: Counter<"tier" | "provider" | "model" | "outcome">;
  providerDuration: Histogram<"tier" | "provider" | "model">;
  providerFirstByte: Histogram<"tier" | "provider" | "model">;
  tokens: Counter<"direction" | "tier" | "model" | "api_key">;
  cost: Counter<"tier" | "model" | "api_key">;
  escalations: Counter<"from_tier" | "to_tier" | "cause">;
  checkFailures: Counter<"task" | "check">;
  queueWait: Histogram<"tier" | "class">;
  deploymentSkips: Counter<"deployment" | "reason">;
  rateLimitWait: Histogram<"tier" | "class">;
  breakerTransitions: Counter<"deployment" | "to">;
  webhookDeliveries: Counter<"event" | "outcome">;
  batchWindowOpen: Gauge;
}

/** Defines the worker's families on `registry`, once per process. */
export function defineWorkerMetrics(registry: Registry): WorkerMetrics {
  const registers = [registry];
  return {
    jobsFinished: defineJobsFinished(registry),
    attempts: new Counter({
      name: "llmr_attempts_total",
      help: "Provider calls recorded in job histories, by tier, provider, configured model and attempt outcome.",
      labelNames: ["tier", "provider", "model", "outcome"],
      registers,
    }),
    providerDuration: new Histogram({
      name: "llmr_provider_request_duration_seconds",
      help: "Whole provider calls, from sending the request to the parsed answer or the failure (cut-off calls of dead workers excluded).",
      labelNames: ["tier", "provider", "model"],
      buckets: PROVIDER_LATENCY_BUCKETS_S,
      registers,
    }),
    providerFirstByte: new Histogram({
      name: "llmr_provider_time_to_first_byte_seconds",
      help: "Provider calls that answered: time until the response's status and headers arrived.",
      labelNames: ["tier", "provider", "model"],
      buckets: PROVIDER_LATENCY_BUCKETS_S,
      registers,
    }),
    tokens: new Counter({
      name: "llmr_tokens_total",
      help: "Tokens billed by providers (direction input or output), by tier, configured model and API key name.",
      labelNames: ["direction", "tier", "model", "api_key"],
      registers,
    }),
    cost: new Counter({
      name: "llmr_cost_usd_total",
      help: "Cost of recorded attempts in US dollars at the config's list prices, by tier, configured model and API key name.",
      labelNames: ["tier", "model", "api_key"],
      registers,
    }),
    escalations: new Counter({
      name: "llmr_escalations_total",
      help: "Jobs moved up a tier, by from/to tier and cause (low_confidence, quality_failed, fallback).",
      labelNames: ["from_tier", "to_tier", "cause"],
      registers,
    }),
    checkFailures: new Counter({
      name: "llmr_check_failures_total",
      help: "Quality checks an answer failed, by task and check name.",
      labelNames: ["task", "check"],
      registers,
    }),
    queueWait: new Histogram({
      name: "llmr_queue_wait_seconds",
      help: "Time a job waited in its tier queue, from enqueue (submission or escalation) to the start of its first call there.",
      labelNames: ["tier", "class"],
      buckets: QUEUE_WAIT_BUCKETS_S,
      registers,
    }),
    deploymentSkips: new Counter({
      name: "llmr_deployment_skips_total",
      help: "Calls that passed a deployment over, by deployment and reason (circuit_open, circuit_half_open, rpm, tpm, cooling_down, interactive_reserve, too_large).",
      labelNames: ["deployment", "reason"],
      registers,
    }),
    rateLimitWait: new Histogram({
      name: "llmr_rate_limit_wait_seconds",
      help: "Waits because no deployment of the tier could take a call (breakers open or budgets spent), by tier and class: the wait announced.",
      labelNames: ["tier", "class"],
      buckets: RATE_LIMIT_WAIT_BUCKETS_S,
      registers,
    }),
    breakerTransitions: new Counter({
      name: "llmr_breaker_transitions_total",
      help: "Circuit breaker state changes seen by this worker, by deployment and new state (opened, half_opened, closed).",
      labelNames: ["deployment", "to"],
      registers,
    }),
    webhookDeliveries: new Counter({
      name: "llmr_webhook_delivery_attempts_total",
      help: "Webhook delivery tries, by event and outcome (delivered, failed_will_retry, gave_up).",
      labelNames: ["event", "outcome"],
      registers,
    }),
    batchWindowOpen: new Gauge({
      name: "llmr_batch_window_open",
      help: "1 while this worker's batch queues may take jobs (inside batches.window, or no window set), 0 while they wait for the window.",
      registers,
    }),
  };
}
