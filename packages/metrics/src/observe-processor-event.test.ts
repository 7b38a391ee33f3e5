import { loadConfig } from "@llmr/config";
import type { Attempt, ProcessorEvent, PublicJob } from "@llmr/core";
import type { Registry } from "prom-client";
import { beforeEach, describe, expect, it } from "vitest";
import { createWorkerRegistry } from "./create-registry.ts";
import { observeDeliveryEvent } from "./observe-delivery-event.ts";
import { createProcessorEventObserver } from "./observe-processor-event.ts";
import type { WorkerMetrics } from "./worker-metrics.ts";

const config = loadConfig(undefined, { env: {}, requireProviderKeys: false });

let registry: Registry;
let metrics: WorkerMetrics;
let observe: (event: ProcessorEvent) => void;
beforeEach(() => {
  ({ registry, metrics } = createWorkerRegistry({ processMetrics: false }));
  observe = createProcessorEventObserver(metrics, config);
});

/** The value of one series of a family, or undefined when the series does not exist. */
async function value(name: string, labels: Record<string, string>): Promise<number | undefined> {
  // A histogram's `_sum` / `_count` series belong to the family without the suffix.
  const base = registry.getSingleMetric(name) ? name : name.replace(/_(sum|count|bucket)$/, "");
  const family = await registry.getSingleMetric(base)?.get();
  const found = family?.values.find(
    (entry: { metricName?: string; labels: Record<string, string | number | undefined> }) =>
      (entry.metricName ?? base) === name &&
      Object.entries(labels).every(([key, wanted]) => String(entry.labels[key]) === wanted),
  );
  return found?.value;
}

function attempt(extra: Partial<Attempt> = {}): Attempt {
  return {
    n: 1,
    tier: "fast",
    provider: "simulated-openai",
    model: "gpt-5.4-nano-2026-03-01",
    deployment: "fast/gpt-5.4-nano",
    outcome: "succeeded",
    detail: "answered in 812 ms",
    latency_ms: 812,
    usage: { input_tokens: 12, output_tokens: 40 },
    cost_usd: 0.0000524,
    confidence: 0.9,
    confidence_signal: "heuristics",
    checks: [
      { name: "empty", passed: true, reason: "" },
      { name: "truncated", passed: false, reason: "cut at max tokens" },
    ],
    output_text: null,
    started_at: "2026-01-01T00:00:00.000Z",
    finished_at: "2026-01-01T00:00:00.812Z",
    ...extra,
  };
}

const attemptEvent = (extra: Partial<Extract<ProcessorEvent, { type: "attempt" }>> = {}): ProcessorEvent => ({
  type: "attempt",
  jobId: "job_01",
  tenant: "acme",
  jobClass: "interactive",
  task: "chat",
  attempt: attempt(),
  retryInMs: null,
  recorded: true,
  firstByteMs: 700,
  interrupted: false,
  ...extra,
});

describe("createProcessorEventObserver", () => {
  it("counts a recorded attempt: outcome, tokens and cost by API key name, latencies, failed checks", async () => {
    observe(attemptEvent());
    const where = { tier: "fast", provider: "simulated-openai", model: "gpt-5.4-nano" };
    expect(await value("llmr_attempts_total", { ...where, outcome: "succeeded" })).toBe(1);
    const spend = { tier: "fast", model: "gpt-5.4-nano", api_key: "acme" };
    expect(await value("llmr_tokens_total", { ...spend, direction: "input" })).toBe(12);
    expect(await value("llmr_tokens_total", { ...spend, direction: "output" })).toBe(40);
    expect(await value("llmr_cost_usd_total", spend)).toBeCloseTo(0.0000524, 12);
    expect(await value("llmr_check_failures_total", { task: "chat", check: "truncated" })).toBe(1);
    expect(await value("llmr_check_failures_total", { task: "chat", check: "empty" })).toBeUndefined();
    expect(await value("llmr_provider_request_duration_seconds_sum", where)).toBeCloseTo(0.812);
    expect(await value("llmr_provider_time_to_first_byte_seconds_count", where)).toBe(1);
    // The model label is the configured one, not the dated name the answer reported.
    expect(await registry.metrics()).not.toContain("2026-03-01");
  });

  it("counts neither attempt nor spend the record did not take, but keeps the call's latency", async () => {
    observe(attemptEvent({ recorded: false }));
    expect(await value("llmr_attempts_total", {})).toBeUndefined();
    expect(await value("llmr_cost_usd_total", {})).toBeUndefined();
    expect(await value("llmr_provider_request_duration_seconds_count", { tier: "fast" })).toBe(1);
  });

  it("counts a dead worker's cut-off call as an attempt without a latency", async () => {
    observe(
      attemptEvent({
        attempt: attempt({ outcome: "error", usage: { input_tokens: 0, output_tokens: 0 }, cost_usd: 0 }),
        interrupted: true,
        firstByteMs: null,
      }),
    );
    expect(await value("llmr_attempts_total", { outcome: "error" })).toBe(1);
    expect(await value("llmr_provider_request_duration_seconds_count", { tier: "fast" })).toBeUndefined();
  });

  it("counts a final status only from the write that made it final, with a bounded error type", async () => {
    const job = { class: "batch", task: "extract", tier: "capable", status: "failed" } as PublicJob;
    const failed = { ...job, error: { type: "quality_check_failed", message: "failed json_schema (…)" } };
    observe({ type: "finished", jobId: "job_01", tenant: "acme", job: failed, transitioned: true });
    observe({ type: "finished", jobId: "job_01", tenant: "acme", job: failed, transitioned: false });
    const odd = { ...job, error: { type: "some new thing", message: "x" } };
    observe({ type: "finished", jobId: "job_02", tenant: "acme", job: odd, transitioned: true });
    const labels = { class: "batch", task: "extract", tier: "capable", status: "failed" };
    expect(await value("llmr_jobs_finished_total", { ...labels, error_type: "quality_check_failed" })).toBe(
      1,
    );
    expect(await value("llmr_jobs_finished_total", { ...labels, error_type: "other" })).toBe(1);
    expect(await registry.metrics()).not.toContain("failed json_schema");
  });

  it("counts escalations by cause, queue waits, rate-limit waits, skips and breaker changes", async () => {
    observe({
      type: "escalated",
      jobId: "job_01",
      tenant: "acme",
      from: "fast",
      to: "capable",
      reason: "failed truncated (cut) → capable",
      cause: "quality_failed",
    });
    observe({
      type: "started",
      jobId: "job_01",
      tenant: "acme",
      tier: "fast",
      deployment: "fast/gpt-5.4-nano",
      jobClass: "interactive",
      task: "chat",
      queueWaitMs: 1500,
    });
    observe({
      type: "started",
      jobId: "job_01",
      tenant: "acme",
      tier: "fast",
      deployment: "fast/gpt-5.4-nano",
      jobClass: "interactive",
      task: "chat",
      queueWaitMs: null,
    });
    observe({
      type: "waiting",
      jobId: "job_01",
      tenant: "acme",
      tier: "fast",
      jobClass: "batch",
      waitMs: 2_000,
      reasons: ["fast/gpt-5.4-nano: rpm"],
    });
    observe({
      type: "deployments_skipped",
      tier: "fast",
      jobClass: "batch",
      skips: [
        { deployment: "fast/gpt-5.4-nano", reason: "rpm" },
        { deployment: "fast/claude-haiku-4-5", reason: "circuit_open" },
      ],
    });
    observe({ type: "breaker", deployment: "fast/claude-haiku-4-5", change: "opened" });
    const escalation = { from_tier: "fast", to_tier: "capable", cause: "quality_failed" };
    expect(await value("llmr_escalations_total", escalation)).toBe(1);
    expect(await value("llmr_queue_wait_seconds_count", { tier: "fast", class: "interactive" })).toBe(1);
    expect(await value("llmr_queue_wait_seconds_sum", { tier: "fast", class: "interactive" })).toBe(1.5);
    expect(await value("llmr_rate_limit_wait_seconds_sum", { tier: "fast", class: "batch" })).toBe(2);
    expect(
      await value("llmr_deployment_skips_total", { deployment: "fast/gpt-5.4-nano", reason: "rpm" }),
    ).toBe(1);
    expect(await value("llmr_breaker_transitions_total", { to: "opened" })).toBe(1);
  });

  it("counts webhook tries by event and outcome only", async () => {
    const base = {
      tenant: "acme",
      jobId: "job_01",
      deliveryId: "msg_01",
      event: "job.succeeded" as const,
      origin: "https://hooks.example.com",
      attempt: { n: 1, status_code: 500, duration_ms: 12, error: "HTTP 500", at: "" },
    };
    observeDeliveryEvent(metrics, { ...base, type: "failed_attempt", retryInMs: 5_000 } as never);
    observeDeliveryEvent(metrics, { ...base, type: "delivered" } as never);
    expect(await value("llmr_webhook_delivery_attempts_total", { outcome: "failed_will_retry" })).toBe(1);
    expect(await value("llmr_webhook_delivery_attempts_total", { outcome: "delivered" })).toBe(1);
    const text = await registry.metrics();
    expect(text).not.toContain("hooks.example.com");
    expect(text).not.toContain("msg_01");
  });
});
