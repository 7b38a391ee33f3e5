import type { RunningSimulator } from "@llmr/simulator";
import { simMarker, startSimulator } from "@llmr/simulator";
import type { AppProcess } from "@llmr/testing";
import { findFreePort, redisFixture, startAppProcess, waitUntilReady } from "@llmr/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { jobFrom } from "./api-answers.ts";
import { writeRouterConfig } from "./router-config-file.ts";

const API_KEY = "llmr_e2e_kill_0123456789abcdef0123456789a";
const redis = redisFixture();
let simulator: RunningSimulator;
let api: AppProcess;
const workers: AppProcess[] = [];
let apiUrl: string;
let env: Record<string, string>;

beforeAll(async () => {
  simulator = await startSimulator({ port: 0, latencyScale: 0 });
  const configPath = writeRouterConfig(redis.prefix);
  const port = await findFreePort();
  apiUrl = `http://127.0.0.1:${port}`;
  env = {
    ...redis.env,
    ROUTER_CONFIG: configPath,
    SIMULATOR_URL: simulator.url,
    WORKER_LOCK_DURATION_MS: "2000",
  };
  api = startAppProcess("api", { ...env, PORT: String(port), LLMR_API_KEYS: `kill:${API_KEY}` });
  await waitUntilReady(api, `${apiUrl}/readyz`);
});

afterAll(async () => {
  await Promise.all([api?.stop(), ...workers.map((worker) => worker.stop())]);
  await simulator?.close();
});

const headers = { authorization: `Bearer ${API_KEY}`, "content-type": "application/json" };
const getJob = async (id: string, wait = 0) =>
  jobFrom(await fetch(`${apiUrl}/v1/jobs/${id}?wait=${wait}`, { headers }));

describe("a worker killed mid-call", () => {
  it("loses no job: another worker finishes every one exactly once, and the cut-off attempts are recorded", async () => {
    const doomed = startAppProcess("worker", env);
    workers.push(doomed);
    const ids: string[] = [];
    for (let i = 0; i < 10; i++) {
      const res = await fetch(`${apiUrl}/v1/jobs`, {
        method: "POST",
        headers,
        body: JSON.stringify({ input: `${simMarker({ latency_ms: 1_500 })} Question ${i}: say hi` }),
      });
      ids.push((await jobFrom(res)).id);
    }
    // Kill it once every job's call is under way.
    for (const id of ids) {
      let job = await getJob(id);
      while (job.status !== "running") job = await getJob(id, 0.05);
    }
    doomed.child.kill("SIGKILL");
    await doomed.exited;

    workers.push(startAppProcess("worker", env));
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

describe("a worker stopped with SIGTERM", () => {
  it("lets calls finish within the grace period, hands the rest back to the queue, and exits 0", async () => {
    // Only this worker runs (the previous test's are stopped), and it is up before the job arrives.
    await Promise.all(workers.splice(0).map((worker) => worker.stop()));
    const stopping = startAppProcess("worker", { ...env, WORKER_SHUTDOWN_GRACE_MS: "300" });
    workers.push(stopping);
    await expect.poll(() => stopping.output().includes("workers running"), { timeout: 15_000 }).toBe(true);
    const res = await fetch(`${apiUrl}/v1/jobs`, {
      method: "POST",
      headers,
      body: JSON.stringify({ input: `${simMarker({ latency_ms: 2_000 })} A slow question` }),
    });
    const { id } = await jobFrom(res);
    let job = await getJob(id);
    while (job.status !== "running") job = await getJob(id, 0.05);

    stopping.child.kill("SIGTERM");
    expect(await stopping.exited).toBe(0);
    const handedBack = await getJob(id);
    expect(handedBack.status).toBe("queued");
    expect(handedBack.attempts.map((a) => a.detail)).toEqual([
      "aborted: the worker shut down during the call; the job went back to the queue",
    ]);

    workers.push(startAppProcess("worker", env));
    let finished = await getJob(id, 30);
    while (finished.status === "queued" || finished.status === "running") finished = await getJob(id, 30);
    expect(finished.status).toBe("succeeded");
    expect(finished.attempts.map((a) => a.outcome)).toEqual(["error", "succeeded"]);
  });
});

describe("a worker stopped with SIGTERM while it starts", () => {
  it("drains and exits 0 instead of dying to the signal", async () => {
    const starting = startAppProcess("worker", env);
    workers.push(starting);
    // As soon as it takes jobs: the moment a rollout may change its mind.
    await expect.poll(() => starting.output().includes("workers running"), { timeout: 15_000 }).toBe(true);
    starting.child.kill("SIGTERM");
    expect(await starting.exited).toBe(0);
    expect(starting.output()).toContain("SIGTERM: no new jobs");
  });
});
