import type { PublicJob } from "@llmr/core";
import type { RunningSimulator } from "@llmr/simulator";
import { simMarker, startSimulator } from "@llmr/simulator";
import type { AppProcess, WebhookReceiver } from "@llmr/testing";
import {
  findFreePort,
  redisFixture,
  startAppProcess,
  startWebhookReceiver,
  waitUntilReady,
} from "@llmr/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { jobFrom } from "./api-answers.ts";
import type { Scrape } from "./prometheus-text.ts";
import { parseScrape } from "./prometheus-text.ts";
import { writeRouterConfig } from "./router-config-file.ts";

const KEY_ALPHA = "llmr_e2e_metrics_alpha_0123456789abcdef01";
const KEY_BETA = "llmr_e2e_metrics_beta_0123456789abcdef012";
const OPERATOR = "llmr_e2e_metrics_operator_0123456789abcdef";
/** A vendor key: OpenAI's models are then called through the real adapter, here aimed at the simulator. */
const OPENAI_KEY = "sk-e2e-metrics-provider-key-0123456789abcdef";
const redis = redisFixture();
let simulator: RunningSimulator;
let api: AppProcess;
let worker: AppProcess;
let apiUrl: string;
let workerMetricsUrl: string;

// A webhook receiver that refuses the first try (500) and takes the next.
const hookAnswers = [500];
let receiver: WebhookReceiver;

beforeAll(async () => {
  simulator = await startSimulator({ port: 0, latencyScale: 0 });
  receiver = await startWebhookReceiver({
    respond: (_hook, res) => {
      const status = hookAnswers.shift();
      if (status === undefined) return false;
      res.writeHead(status).end();
      return true;
    },
  });
  const configPath = writeRouterConfig(
    redis.prefix,
    "webhooks:\n  allow_private_targets: true\n  timeout_ms: 1000\n  schedule_scale: 0.0001\n",
  );
  const [apiPort, metricsPort] = [await findFreePort(), await findFreePort()];
  apiUrl = `http://127.0.0.1:${apiPort}`;
  workerMetricsUrl = `http://127.0.0.1:${metricsPort}/metrics`;
  const env = {
    ...redis.env,
    ROUTER_CONFIG: configPath,
    SIMULATOR_URL: simulator.url,
    LLMR_OPERATOR_TOKEN: OPERATOR,
  };
  api = startAppProcess("api", {
    ...env,
    PORT: String(apiPort),
    LLMR_API_KEYS: `alpha:${KEY_ALPHA},beta:${KEY_BETA}`,
  });
  worker = startAppProcess("worker", {
    ...env,
    WORKER_METRICS_PORT: String(metricsPort),
    OPENAI_API_KEY: OPENAI_KEY,
    OPENAI_BASE_URL: `${simulator.url}/v1`,
  });
  await Promise.all([
    waitUntilReady(api, `${apiUrl}/readyz`),
    // The worker's readiness: its tier workers take jobs on a ready Redis.
    waitUntilReady(worker, `http://127.0.0.1:${metricsPort}/readyz`),
  ]);
});

afterAll(async () => {
  await Promise.all([api?.stop(), worker?.stop()]);
  await simulator?.close();
  await receiver?.close();
});

const as = (key: string) => ({ authorization: `Bearer ${key}`, "content-type": "application/json" });

async function submit(key: string, body: unknown): Promise<string> {
  const res = await fetch(`${apiUrl}/v1/jobs`, {
    method: "POST",
    headers: as(key),
    body: JSON.stringify(body),
  });
  expect(res.status).toBe(202);
  return (await jobFrom(res)).id;
}

async function finished(key: string, id: string): Promise<PublicJob> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const job = await jobFrom(await fetch(`${apiUrl}/v1/jobs/${id}?wait=10`, { headers: as(key) }));
    if (["succeeded", "failed", "cancelled"].includes(job.status)) return job;
    if (Date.now() > deadline) throw new Error(`job ${id} still ${job.status}`);
  }
}

async function scrape(url: string): Promise<Scrape> {
  const res = await fetch(url, { headers: { authorization: `Bearer ${OPERATOR}` } });
  expect(res.status).toBe(200);
  return parseScrape(await res.text());
}

function countBy<T>(items: readonly T[], key: (item: T) => string): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const item of items) counts[key(item)] = (counts[key(item)] ?? 0) + 1;
  return counts;
}

describe("metrics across processes", () => {
  it("add up to the job objects: statuses, attempts by outcome, tokens, cost by key, escalations, webhooks", async () => {
    const hookUrl = receiver.url;
    const submitted: Array<[string, string]> = [
      [KEY_ALPHA, await submit(KEY_ALPHA, { input: "What is the capital of France?" })],
      // Cut short on the fast tier: fails the truncated check and escalates to capable.
      [
        KEY_ALPHA,
        await submit(KEY_ALPHA, { input: `${simMarker({ fault: "truncate", times: 1 })} Explain tides.` }),
      ],
      // A 400 from the provider is fatal: the job fails at once.
      [KEY_BETA, await submit(KEY_BETA, { input: `${simMarker({ fault: "400" })} Say hi` })],
      [KEY_BETA, await submit(KEY_BETA, { input: "Say hello", webhook: { url: hookUrl } })],
      [KEY_BETA, await submit(KEY_BETA, { class: "batch", input: "Name a primary colour." })],
    ];
    const jobs = await Promise.all(submitted.map(([key, id]) => finished(key, id)));
    expect(countBy(jobs, (job) => job.status)).toEqual({ succeeded: 4, failed: 1 });
    const attempts = jobs.flatMap((job) => job.attempts);
    const escalations = jobs.flatMap((job) => job.routing.escalations);
    expect(escalations).toHaveLength(1);

    // The worker counts a job when its write made it final and a webhook try when it ends: wait for both.
    let workerScrape = await scrape(workerMetricsUrl);
    await expect
      .poll(
        async () => {
          workerScrape = await scrape(workerMetricsUrl);
          return [
            workerScrape.sum("llmr_jobs_finished_total"),
            workerScrape.sum("llmr_webhook_delivery_attempts_total", { outcome: "delivered" }),
          ];
        },
        { timeout: 15_000 },
      )
      .toEqual([jobs.length, 1]);
    const apiScrape = await scrape(`${apiUrl}/metrics`);

    // Every family is there, on the process that owns it.
    for (const family of [
      "llmr_jobs_finished_total",
      "llmr_attempts_total",
      "llmr_provider_request_duration_seconds",
      "llmr_provider_time_to_first_byte_seconds",
      "llmr_tokens_total",
      "llmr_cost_usd_total",
      "llmr_escalations_total",
      "llmr_check_failures_total",
      "llmr_queue_wait_seconds",
      "llmr_deployment_skips_total",
      "llmr_rate_limit_wait_seconds",
      "llmr_breaker_transitions_total",
      "llmr_webhook_delivery_attempts_total",
      "llmr_process_cpu_seconds_total",
    ])
      expect(workerScrape.types.has(family), `worker: ${family}`).toBe(true);
    for (const family of [
      "llmr_jobs_submitted_total",
      "llmr_jobs_finished_total",
      "llmr_http_request_duration_seconds",
      "llmr_queue_jobs",
      "llmr_breaker_state",
      "llmr_cluster_state_up",
    ])
      expect(apiScrape.types.has(family), `api: ${family}`).toBe(true);

    // Jobs: submitted on the API, finished by status on the worker (the API counts only cancels).
    expect(apiScrape.sum("llmr_jobs_submitted_total")).toBe(jobs.length);
    expect(apiScrape.sum("llmr_jobs_submitted_total", { class: "batch", task: "chat" })).toBe(1);
    const statuses = workerScrape.sumBy("llmr_jobs_finished_total", "status");
    expect(statuses).toEqual(countBy(jobs, (job) => job.status));
    expect(workerScrape.sum("llmr_jobs_finished_total", { error_type: "provider_error" })).toBe(1);

    // Attempts by outcome, tokens and cost: exactly what the job objects record.
    // OpenAI's models ran with the vendor key set (provider "openai", not "simulated-openai").
    expect(workerScrape.sum("llmr_attempts_total", { provider: "openai" })).toBeGreaterThan(0);
    expect(workerScrape.sumBy("llmr_attempts_total", "outcome")).toEqual(countBy(attempts, (a) => a.outcome));
    const tokens = workerScrape.sumBy("llmr_tokens_total", "direction");
    expect(tokens.input).toBe(attempts.reduce((sum, a) => sum + a.usage.input_tokens, 0));
    expect(tokens.output).toBe(attempts.reduce((sum, a) => sum + a.usage.output_tokens, 0));
    const costOf = (key: string) =>
      jobs.filter((_, i) => submitted[i]?.[0] === key).reduce((sum, job) => sum + job.cost_usd, 0);
    expect(workerScrape.sum("llmr_cost_usd_total")).toBeCloseTo(costOf(KEY_ALPHA) + costOf(KEY_BETA), 9);
    expect(workerScrape.sum("llmr_cost_usd_total", { api_key: "alpha" })).toBeCloseTo(costOf(KEY_ALPHA), 9);
    expect(workerScrape.sum("llmr_cost_usd_total", { api_key: "beta" })).toBeCloseTo(costOf(KEY_BETA), 9);

    // Escalations and the checks that caused them; queue waits: one per tier a job was queued on.
    expect(workerScrape.sum("llmr_escalations_total", { cause: "quality_failed", to_tier: "capable" })).toBe(
      1,
    );
    const failedChecks = attempts.flatMap((a) => a.checks.filter((check) => !check.passed));
    expect(workerScrape.sumBy("llmr_check_failures_total", "check")).toEqual(
      countBy(failedChecks, (c) => c.name),
    );
    expect(workerScrape.sum("llmr_queue_wait_seconds_count")).toBe(jobs.length + escalations.length);
    const calls = attempts.length;
    expect(workerScrape.sum("llmr_provider_request_duration_seconds_count")).toBe(calls);
    expect(workerScrape.sum("llmr_webhook_delivery_attempts_total", { outcome: "failed_will_retry" })).toBe(
      1,
    );

    // Cluster gauges: nothing left in the queues, every breaker closed.
    expect(apiScrape.sum("llmr_cluster_state_up")).toBe(1);
    expect(apiScrape.sum("llmr_queue_jobs", { state: "waiting" })).toBe(0);
    expect(apiScrape.sum("llmr_breaker_state", { deployment: "fast/gpt-5.4-nano", state: "closed" })).toBe(1);

    // Nothing secret and nothing unbounded: no key, token, webhook secret, job id, prompt or URL.
    const secrets = (await (
      await fetch(`${apiUrl}/v1/webhooks/secret`, { headers: as(KEY_BETA) })
    ).json()) as {
      data: Array<{ secret: string }>;
    };
    const forbidden = [
      KEY_ALPHA,
      KEY_BETA,
      OPERATOR,
      OPENAI_KEY,
      ...secrets.data.map((entry) => entry.secret),
    ];
    forbidden.push(...jobs.map((job) => job.id), "capital of France", hookUrl, "127.0.0.1");
    for (const text of [workerScrape.text, apiScrape.text])
      for (const value of forbidden) expect(text).not.toContain(value);
  });
});
