import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DEFAULT_CONFIG_PATH } from "@llmr/config";
import type { PublicJob } from "@llmr/core";
import type { RunningSimulator } from "@llmr/simulator";
import { simMarker, startSimulator } from "@llmr/simulator";
import type { AppProcess } from "@llmr/testing";
import { findFreePort, redisFixture, startAppProcess, waitForOutput, waitUntilReady } from "@llmr/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const API_KEY = "llmr_e2e_limits_0123456789abcdef0123456789";
/** Requests per minute the vendor (the simulator) allows each of the two models used here. */
const RPM = 12;
const JOBS = 30;
/** How long we watch the first jobs go out: well inside the minute the RPM window spans. */
const WATCH_MS = 8_000;
const WORKER_PROCESSES = 3;
const redis = redisFixture();

/** Returns `text` with `from` replaced by `to`, and fails loudly when the shipped config changed shape. */
function edit(text: string, from: string, to: string): string {
  if (!text.includes(from)) throw new Error(`the default config no longer contains ${JSON.stringify(from)}`);
  return text.replace(from, to);
}

/**
 * The shipped config with two tiers of ONE deployment each: `fast` limited to RPM in the router,
 * `standard` with no limit in the router (the limiter off). Nothing moves a job elsewhere (no tier
 * fallback, every answer confident enough), and the per-key API limit is high: the test polls.
 */
function writeConfig(keyPrefix: string): string {
  let text = readFileSync(DEFAULT_CONFIG_PATH, "utf8");
  text = edit(
    text,
    "      - { model: gpt-5.4-nano, rpm: 500, tpm: 200000 }\n      - { model: claude-haiku-4-5, rpm: 50, tpm: 50000 }\n",
    `      - { model: gpt-5.4-nano, rpm: ${RPM} }\n`,
  );
  text = edit(
    text,
    "      - { model: gpt-5.4-mini, rpm: 500, tpm: 200000 }\n      - { model: claude-sonnet-4-6, rpm: 50, tpm: 30000 }\n",
    "      - { model: gpt-5.4-mini }\n",
  );
  // Four calls at a time per process, so that all three processes take part.
  text = edit(
    text,
    "concurrency: { interactive: 16, batch: 4 }",
    "concurrency: { interactive: 4, batch: 1 }",
  );
  text = edit(text, "concurrency: { interactive: 8, batch: 2 }", "concurrency: { interactive: 4, batch: 1 }");
  text = edit(text, "escalation: { min_confidence: 0.5,", "escalation: { min_confidence: 0,");
  text = edit(text, "jobs:\n", "jobs:\n  fallback_to_next_tier: false\n");
  text += `\nredis:\n  key_prefix: ${keyPrefix}\napi:\n  rate_limit: { requests_per_minute: 60000, burst: 10000 }\n`;
  const path = join(mkdtempSync(join(tmpdir(), "llmr-limits-")), "router.yaml");
  writeFileSync(path, text);
  return path;
}

let simulator: RunningSimulator;
let workers: AppProcess[] = [];
let api: AppProcess | undefined;
let apiUrl: string;

beforeAll(async () => {
  // The vendor limits both models to RPM and answers 429 beyond, as OpenAI does.
  simulator = await startSimulator({
    port: 0,
    latencyScale: 0,
    models: { "gpt-5.4-nano": { rpm: RPM }, "gpt-5.4-mini": { rpm: RPM } },
  });
  const port = await findFreePort();
  apiUrl = `http://127.0.0.1:${port}`;
  const env = {
    ...redis.env,
    ROUTER_CONFIG: writeConfig(redis.prefix),
    SIMULATOR_URL: simulator.url,
  };
  api = startAppProcess("api", { ...env, PORT: String(port), LLMR_API_KEYS: `limits:${API_KEY}` });
  workers = Array.from({ length: WORKER_PROCESSES }, () => startAppProcess("worker", env));
  await waitUntilReady(api, `${apiUrl}/readyz`);
  // Every worker process waits on the queues before the first job arrives.
  await Promise.all(workers.map((worker) => waitForOutput(worker, "workers running")));
});

afterAll(async () => {
  await Promise.all([api?.stop(), ...workers.map((worker) => worker.stop())]);
  await simulator?.close();
});

const headers = { authorization: `Bearer ${API_KEY}`, "content-type": "application/json" };

/** Submits JOBS jobs pinned to `tier`, whose calls take 300 ms each; resolves with their ids. */
async function submitAll(tier: string): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < JOBS; i++) {
    const input = `${simMarker({ latency_ms: 300 })} Question ${i}: name a colour.`;
    const res = await fetch(`${apiUrl}/v1/jobs`, {
      method: "POST",
      headers,
      body: JSON.stringify({ tier, input }),
    });
    expect(res.status).toBe(202);
    ids.push(((await res.json()) as PublicJob).id);
  }
  return ids;
}

const jobsOf = (ids: readonly string[]) =>
  Promise.all(
    ids.map(async (id) => (await (await fetch(`${apiUrl}/v1/jobs/${id}`, { headers })).json()) as PublicJob),
  );
const callsTo = (model: string) => simulator.stats().requests_by_model[model] ?? 0;
const count = (jobs: readonly PublicJob[], predicate: (job: PublicJob) => boolean) =>
  jobs.filter(predicate).length;
/** Calls each worker process made to `model`, from its logs. */
const callsByWorker = (model: string) =>
  workers.map(
    (worker) =>
      worker
        .output()
        .match(new RegExp(`"model":"${model.replaceAll(".", "\\.")}"[^\\n]*attempt 1 succeeded`, "g"))
        ?.length ?? 0,
  );

describe(`${WORKER_PROCESSES} worker processes sharing one deployment`, () => {
  it(`limited to ${RPM} RPM in the router: no more than ${RPM} calls go out, the vendor answers no 429, the rest wait queued`, async () => {
    const startedAt = Date.now();
    const ids = await submitAll("fast");
    // The budget is spent as soon as the first RPM calls are made ...
    await expect.poll(() => callsTo("gpt-5.4-nano"), { timeout: WATCH_MS }).toBe(RPM);
    // ... and nothing more goes out for the rest of the watch (a fixed window on purpose: what we
    // check is that nothing happens in it).
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, startedAt + WATCH_MS - Date.now())));

    expect(callsTo("gpt-5.4-nano")).toBe(RPM);
    expect(simulator.stats().requests_by_outcome.rate_limited ?? 0).toBe(0);
    const jobs = await jobsOf(ids);
    expect(count(jobs, (job) => job.status === "succeeded")).toBe(RPM);
    // Waiting, not failed, and no try spent on them.
    expect(count(jobs, (job) => job.status === "queued" && job.attempts.length === 0)).toBe(JOBS - RPM);
    // The budget is shared: more than one process made calls, and together they kept within it.
    const byWorker = callsByWorker("gpt-5.4-nano");
    expect(byWorker.reduce((a, b) => a + b, 0)).toBe(RPM);
    expect(byWorker.filter((calls) => calls > 0).length).toBeGreaterThanOrEqual(2);
  });

  it("with no limit in the router: the vendor answers 429s, and the router keeps those jobs queued for a retry", async () => {
    const ids = await submitAll("standard");
    const rateLimited = (job: PublicJob) =>
      job.status === "queued" && job.attempts.some((attempt) => attempt.outcome === "rate_limited");
    // Settled: RPM jobs answered, and at least one refused with a 429 and back in the queue.
    await expect
      .poll(
        async () => {
          const jobs = await jobsOf(ids);
          return count(jobs, (job) => job.status === "succeeded") === RPM && count(jobs, rateLimited) > 0;
        },
        { timeout: WATCH_MS, interval: 200 },
      )
      .toBe(true);

    expect(callsTo("gpt-5.4-mini")).toBeGreaterThan(RPM);
    expect(simulator.stats().requests_by_outcome.rate_limited ?? 0).toBeGreaterThan(0);
    const jobs = await jobsOf(ids);
    expect(count(jobs, (job) => job.status === "failed")).toBe(0);
  });
});
