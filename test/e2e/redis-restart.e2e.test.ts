import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DEFAULT_CONFIG_PATH } from "@llmr/config";
import type { PublicJob } from "@llmr/core";
import type { RunningSimulator } from "@llmr/simulator";
import { simMarker, startSimulator } from "@llmr/simulator";
import type { AppProcess, RedisServerProcess } from "@llmr/testing";
import {
  findFreePort,
  startAppProcess,
  startRedisServer,
  waitForOutput,
  waitUntilReady,
} from "@llmr/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const API_KEY = "llmr_e2e_restart_0123456789abcdef012345678";
/** Redis is killed once at least this many jobs are acknowledged. */
const JOBS = 40;
/** Every call takes this long at the simulator. */
const CALL_MS = 1_000;
/** One submission every this often: faster than the workers (2 × 4 calls at a time) answer. */
const SUBMIT_EVERY_MS = 25;
/** How long Redis stays down: long enough for every process to notice and start reconnecting. */
const OUTAGE_MS = 1_000;
/** Durable as the router expects in production: every write is on disk before Redis answers it. */
const DURABLE_REDIS_ARGS = [
  "--appendonly",
  "yes",
  "--appendfsync",
  "always",
  "--save",
  "",
  "--maxmemory-policy",
  "noeviction",
];

// A Redis of this file's own (not the run's shared one): the test kills it.
const redisDir = mkdtempSync(join(tmpdir(), "llmr-restart-redis-"));
let redis: RedisServerProcess;
let simulator: RunningSimulator;
const apps: AppProcess[] = [];
let apiUrl: string;

beforeAll(async () => {
  redis = await startRedisServer({ dir: redisDir, args: DURABLE_REDIS_ARGS });
  simulator = await startSimulator({ port: 0, latencyScale: 0 });
  const configPath = join(mkdtempSync(join(tmpdir(), "llmr-restart-")), "router.yaml");
  // A high per-key API limit: the test polls every job. Answers are never escalated (not under test).
  // Four calls at a time per worker process, so a backlog builds.
  const config = readFileSync(DEFAULT_CONFIG_PATH, "utf8")
    .replaceAll("escalation: { min_confidence: 0.5,", "escalation: { min_confidence: 0,")
    .replace("concurrency: { interactive: 16, batch: 4 }", "concurrency: { interactive: 4, batch: 1 }");
  writeFileSync(configPath, `${config}\napi:\n  rate_limit: { requests_per_minute: 60000, burst: 10000 }\n`);
  const port = await findFreePort();
  apiUrl = `http://127.0.0.1:${port}`;
  const env = { REDIS_URL: redis.url, ROUTER_CONFIG: configPath, SIMULATOR_URL: simulator.url };
  apps.push(startAppProcess("api", { ...env, PORT: String(port), LLMR_API_KEYS: `restart:${API_KEY}` }));
  apps.push(startAppProcess("worker", env), startAppProcess("worker", env));
  await waitUntilReady(apps[0] as AppProcess, `${apiUrl}/readyz`);
  await Promise.all(apps.slice(1).map((worker) => waitForOutput(worker, "workers running")));
});

afterAll(async () => {
  await Promise.all(apps.map((app) => app.stop()));
  await simulator?.close();
  await redis?.stop();
  rmSync(redisDir, { recursive: true, force: true });
});

const headers = { authorization: `Bearer ${API_KEY}`, "content-type": "application/json" };

/** POSTs a job; its id when the API acknowledged it with a 202, else the status it got (0: no answer). */
async function submit(i: number): Promise<{ id: string } | { status: number }> {
  const res = await fetch(`${apiUrl}/v1/jobs`, {
    method: "POST",
    headers,
    body: JSON.stringify({ input: `${simMarker({ latency_ms: CALL_MS })} Question ${i}: name a colour.` }),
  }).catch(() => undefined);
  if (!res) return { status: 0 };
  const body = (await res.json()) as PublicJob;
  return res.status === 202 ? { id: body.id } : { status: res.status };
}

async function current(id: string): Promise<PublicJob> {
  return (await (await fetch(`${apiUrl}/v1/jobs/${id}`, { headers })).json()) as PublicJob;
}

/**
 * Long-polls a job until it finishes; a 503 (Redis still reconnecting) is asked again. Says how it
 * ended and how many of its attempts succeeded; a job Redis lost is `missing`.
 */
async function finished(id: string): Promise<{ id: string; status: string; succeededAttempts: number }> {
  for (;;) {
    const res = await fetch(`${apiUrl}/v1/jobs/${id}?wait=20`, { headers });
    if (res.status === 503) {
      await new Promise((resolve) => setTimeout(resolve, 200));
      continue;
    }
    if (res.status === 404) return { id, status: "missing", succeededAttempts: 0 };
    const job = (await res.json()) as PublicJob;
    if (job.status === "queued" || job.status === "running") continue;
    const succeededAttempts = job.attempts.filter((attempt) => attempt.outcome === "succeeded").length;
    return { id, status: job.status, succeededAttempts };
  }
}

const redisAnswers = async () =>
  (await fetch(`${apiUrl}/readyz`)
    .then((res) => res.status)
    .catch(() => 0)) === 200;

describe("Redis killed (kill -9) and restarted under load, AOF on", () => {
  it("loses no acknowledged job: each finishes succeeded exactly once, and API and workers reconnect by themselves", async ({
    onTestFinished,
  }) => {
    // Clients keep submitting all along, faster than the workers answer: a backlog builds.
    const acknowledged: string[] = [];
    const refusals: number[] = [];
    let submitting = true;
    onTestFinished(() => {
      submitting = false;
    });
    const submitter = (async () => {
      for (let i = 0; submitting; i++) {
        const answer = await submit(i);
        if ("id" in answer) acknowledged.push(answer.id);
        else refusals.push(answer.status);
        await new Promise((resolve) => setTimeout(resolve, SUBMIT_EVERY_MS));
      }
    })();
    await expect
      .poll(() => acknowledged.length, { timeout: 10_000, interval: 20 })
      .toBeGreaterThanOrEqual(JOBS);

    const beforeCrash = [...acknowledged];
    const statuses = await Promise.all(beforeCrash.map(async (id) => (await current(id)).status));
    // Under load: calls in flight and jobs waiting for a worker when Redis dies.
    expect(statuses).toContain("running");
    expect(statuses).toContain("queued");
    process.kill(redis.pid, "SIGKILL");
    await redis.exited;
    await redis.stop(); // releases the handle; the process is gone already
    await new Promise((resolve) => setTimeout(resolve, OUTAGE_MS));
    redis = await startRedisServer({ port: redis.port, dir: redisDir, args: DURABLE_REDIS_ARGS });

    // The API comes back by itself and takes new work again.
    await expect.poll(redisAnswers, { timeout: 10_000, interval: 100 }).toBe(true);
    const acknowledgedBeforeRestart = acknowledged.length;
    await expect
      .poll(() => acknowledged.length, { timeout: 10_000, interval: 20 })
      .toBeGreaterThanOrEqual(acknowledgedBeforeRestart + 5);
    submitting = false;
    await submitter;
    // While Redis was down, nothing was acknowledged: every refusal said so.
    expect(refusals.length).toBeGreaterThan(0);
    expect(new Set(refusals)).toEqual(new Set([503]));

    const jobs = await Promise.all(acknowledged.map(finished));
    for (const job of jobs) expect(job).toEqual({ id: job.id, status: "succeeded", succeededAttempts: 1 });
  });
});
