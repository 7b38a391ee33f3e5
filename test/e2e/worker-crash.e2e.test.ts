import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DEFAULT_CONFIG_PATH } from "@llmr/config";
import type { PublicJob } from "@llmr/core";
import type { RunningSimulator } from "@llmr/simulator";
import { simMarker, startSimulator } from "@llmr/simulator";
import { findFreePort, redisFixture } from "@llmr/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AppProcess } from "./app-process.ts";
import { startApp, waitUntilReady } from "./app-process.ts";

const API_KEY = "llmr_e2e_kill_0123456789abcdef0123456789a";
const redis = redisFixture();
let simulator: RunningSimulator;
let api: AppProcess;
const workers: AppProcess[] = [];
let apiUrl: string;
let env: Record<string, string>;

beforeAll(async () => {
  simulator = await startSimulator({ port: 0, latencyScale: 0 });
  const dir = mkdtempSync(join(tmpdir(), "llmr-kill-"));
  const configPath = join(dir, "router.yaml");
  writeFileSync(
    configPath,
    `${readFileSync(DEFAULT_CONFIG_PATH, "utf8")}\nredis:\n  key_prefix: ${redis.prefix}\n`,
  );
  const port = await findFreePort();
  apiUrl = `http://127.0.0.1:${port}`;
  env = {
    REDIS_URL: redis.url,
    ROUTER_CONFIG: configPath,
    SIMULATOR_URL: simulator.url,
    WORKER_LOCK_DURATION_MS: "2000",
  };
  api = startApp("api", { ...env, PORT: String(port), LLMR_API_KEYS: `kill:${API_KEY}` });
  await waitUntilReady(api, `${apiUrl}/readyz`);
});

afterAll(async () => {
  await Promise.all([api?.stop(), ...workers.map((worker) => worker.stop())]);
  await simulator?.close();
});

const headers = { authorization: `Bearer ${API_KEY}`, "content-type": "application/json" };
const getJob = async (id: string, wait = 0) =>
  (await (await fetch(`${apiUrl}/v1/jobs/${id}?wait=${wait}`, { headers })).json()) as PublicJob;

describe("a worker killed mid-call", () => {
  it("loses no job: another worker finishes every one exactly once, and the cut-off attempts are recorded", async () => {
    const doomed = startApp("worker", env);
    workers.push(doomed);
    const ids: string[] = [];
    for (let i = 0; i < 10; i++) {
      const res = await fetch(`${apiUrl}/v1/jobs`, {
        method: "POST",
        headers,
        body: JSON.stringify({ input: `${simMarker({ latency_ms: 1_500 })} Question ${i}: say hi` }),
      });
      ids.push(((await res.json()) as PublicJob).id);
    }
    // Kill it once every job's call is under way.
    for (const id of ids) {
      let job = await getJob(id);
      while (job.status !== "running") job = await getJob(id, 0.05);
    }
    doomed.child.kill("SIGKILL");
    await doomed.exited;

    workers.push(startApp("worker", env));
    const finished = await Promise.all(
      ids.map(async (id) => {
        let job = await getJob(id, 30);
        while (job.status === "queued" || job.status === "running") job = await getJob(id, 30);
        return job;
      }),
    );
    for (const job of finished) {
      expect(job.status).toBe("succeeded");
      expect(job.attempts.map((a) => a.outcome)).toEqual(["error", "succeeded"]);
      expect(job.attempts[0]?.detail).toMatch(/^the worker running this call stopped before it finished/);
    }
  });
});
