import type { PublicJob } from "@llmr/core";
import type { RunningSimulator } from "@llmr/simulator";
import { startSimulator } from "@llmr/simulator";
import type { AppProcess } from "@llmr/testing";
import { findFreePort, redisFixture, startAppProcess, waitUntilReady } from "@llmr/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { jobFrom } from "./api-answers.ts";
import { writeRouterConfig } from "./router-config-file.ts";

const API_KEY = "llmr_e2e_0123456789abcdef0123456789abcdef";
const OPERATOR_TOKEN = "llmr_e2e_operator_token";
const redis = redisFixture();

let simulator: RunningSimulator;
let api: AppProcess;
let worker: AppProcess;
let apiUrl: string;

beforeAll(async () => {
  simulator = await startSimulator({ port: 0, latencyScale: 0 });
  // The shipped default config, on this file's own Redis prefix (also proves ROUTER_CONFIG works).
  const configPath = writeRouterConfig(redis.prefix);
  const port = await findFreePort();
  apiUrl = `http://127.0.0.1:${port}`;
  const env = {
    ...redis.env,
    ROUTER_CONFIG: configPath,
    SIMULATOR_URL: simulator.url,
    LOG_LEVEL: "info",
  };
  api = startAppProcess("api", {
    ...env,
    PORT: String(port),
    LLMR_API_KEYS: `e2e:${API_KEY}`,
    LLMR_OPERATOR_TOKEN: OPERATOR_TOKEN,
  });
  worker = startAppProcess("worker", env);
  await waitUntilReady(api, `${apiUrl}/readyz`);
});

afterAll(async () => {
  await Promise.all([api?.stop(), worker?.stop()]);
  await simulator?.close();
});

const headers = { authorization: `Bearer ${API_KEY}`, "content-type": "application/json" };

async function waitForFinished(id: string, timeoutMs = 30_000): Promise<PublicJob> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const res = await fetch(`${apiUrl}/v1/jobs/${id}`, { headers });
    const job = await jobFrom(res);
    if (["succeeded", "failed", "cancelled"].includes(job.status)) return job;
    if (Date.now() > deadline)
      throw new Error(`job ${id} still ${job.status}; worker said:\n${worker.output()}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe("a job end to end: API process → Redis → worker process → simulator through the real SDK", () => {
  it("POST /v1/jobs, then GET shows it succeeded with tier, simulated provider, model, usage and cost", async () => {
    const res = await fetch(`${apiUrl}/v1/jobs`, {
      method: "POST",
      headers,
      body: JSON.stringify({ input: "Name three primary colours." }),
    });
    expect(res.status).toBe(202);
    const queued = await jobFrom(res);
    expect(res.headers.get("location")).toBe(`/v1/jobs/${queued.id}`);

    const job = await waitForFinished(queued.id);
    expect(job).toMatchObject({
      id: queued.id,
      status: "succeeded",
      tier: "fast",
      routing: { initial_tier: "fast" },
      result: { provider: "simulated-openai", model: "gpt-5.4-nano", tier: "fast", finish_reason: "stop" },
    });
    expect(job.result?.output_text.length).toBeGreaterThan(0);
    expect(job.result?.usage.input_tokens).toBeGreaterThan(0);
    expect(job.result?.usage.output_tokens).toBeGreaterThan(0);
    expect(job.attempts).toHaveLength(1);
    expect(job.attempts[0]).toMatchObject({
      n: 1,
      tier: "fast",
      provider: "simulated-openai",
      outcome: "succeeded",
    });
    expect(job.attempts[0]?.latency_ms).toBeGreaterThanOrEqual(0);
    expect(job.cost_usd).toBeGreaterThan(0);
    expect(job.cost_usd).toBe(job.attempts[0]?.cost_usd);
    expect(Date.parse(job.finished_at ?? "")).toBeGreaterThanOrEqual(Date.parse(job.created_at));
  });

  it("pins a tier and a second provider protocol: an Anthropic-protocol deployment answers via the Anthropic SDK", async () => {
    // The fast tier's first deployment fails once; the job falls back to claude-haiku-4-5.
    const res = await fetch(`${apiUrl}/v1/jobs`, {
      method: "POST",
      headers,
      body: JSON.stringify({ input: "[[sim fault=503 times=1 retry_after=0]] Say hi", tier: "fast" }),
    });
    const job = await waitForFinished((await jobFrom(res)).id);
    expect(job.status).toBe("succeeded");
    expect(job.attempts.map((a) => `${a.outcome}@${a.provider}`)).toEqual([
      "error@simulated-openai",
      "succeeded@simulated-anthropic",
    ]);
  });

  it("answers the contract's errors over the real process", async () => {
    const noKey = await fetch(`${apiUrl}/v1/jobs`, { method: "POST", body: "{}" });
    expect(noKey.status).toBe(401);
    const text = await fetch(`${apiUrl}/v1/jobs`, {
      method: "POST",
      headers: { ...headers, "content-type": "text/plain" },
      body: "hi",
    });
    expect(text.status).toBe(415);
    const bad = await fetch(`${apiUrl}/v1/jobs`, {
      method: "POST",
      headers,
      body: JSON.stringify({ input: "" }),
    });
    expect(await bad.json()).toEqual({
      error: { type: "invalid_request_error", message: "input: must not be empty", param: "input" },
    });
    const dashboard = await fetch(`${apiUrl}/admin/queues`);
    expect(dashboard.status).toBe(401);
    const hugeHeader = await fetch(`${apiUrl}/v1/jobs`, {
      headers: { authorization: `Bearer ${"k".repeat(20_000)}` },
    });
    expect(hugeHeader.status).toBe(431);
    expect(((await hugeHeader.json()) as { error: { type: string } }).error.type).toBe(
      "invalid_request_error",
    );
  });

  it("says which providers are simulated in its start-up log, and never prints a key", () => {
    expect(worker.output()).toContain("provider openai: SIMULATED");
    expect(worker.output()).toContain("OPENAI_API_KEY is not set");
    expect(api.output()).not.toContain(API_KEY);
    expect(api.output()).not.toContain(OPERATOR_TOKEN);
  });
});
