import type { RunningSimulator } from "@llmr/simulator";
import { simMarker, startSimulator } from "@llmr/simulator";
import type { AppProcess } from "@llmr/testing";
import { findFreePort, redisFixture, startAppProcess, waitUntilReady } from "@llmr/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { jobFrom } from "./api-answers.ts";
import { writeRouterConfig } from "./router-config-file.ts";

/**
 * The worker's probes as the kubelet sees them: a worker process with WORKER_METRICS_PORT set,
 * a job whose call takes seconds, and a SIGTERM in the middle of it.
 */
const API_KEY = "llmr_e2e_probes_0123456789abcdef0123456789";
const OPERATOR = "llmr_e2e_probes_operator_0123456789abcdef";
const redis = redisFixture();
let simulator: RunningSimulator;
let api: AppProcess;
let worker: AppProcess;
let apiUrl: string;
let workerUrl: string;

beforeAll(async () => {
  simulator = await startSimulator({ port: 0, latencyScale: 0 });
  const [apiPort, workerPort] = [await findFreePort(), await findFreePort()];
  apiUrl = `http://127.0.0.1:${apiPort}`;
  workerUrl = `http://127.0.0.1:${workerPort}`;
  const env = {
    ...redis.env,
    ROUTER_CONFIG: writeRouterConfig(redis.prefix),
    SIMULATOR_URL: simulator.url,
    LLMR_OPERATOR_TOKEN: OPERATOR,
  };
  api = startAppProcess("api", { ...env, PORT: String(apiPort), LLMR_API_KEYS: `probes:${API_KEY}` });
  worker = startAppProcess("worker", {
    ...env,
    WORKER_METRICS_PORT: String(workerPort),
    // Long enough for the call below to finish inside the drain.
    WORKER_SHUTDOWN_GRACE_MS: "30000",
  });
  await Promise.all([waitUntilReady(api, `${apiUrl}/readyz`), waitUntilReady(worker, `${workerUrl}/readyz`)]);
});

afterAll(async () => {
  await Promise.all([api?.stop(), worker?.stop()]);
  await simulator?.close();
});

const headers = { authorization: `Bearer ${API_KEY}`, "content-type": "application/json" };
const getJob = async (id: string, wait = 0) =>
  jobFrom(await fetch(`${apiUrl}/v1/jobs/${id}?wait=${wait}`, { headers }));
const probe = async (path: string) => {
  const res = await fetch(`${workerUrl}${path}`);
  return { status: res.status, body: (await res.json()) as unknown };
};

describe("the worker's probes", () => {
  it("are open, in the API's shapes, while /metrics stays the operator's", async () => {
    expect(await probe("/healthz")).toEqual({ status: 200, body: { status: "ok" } });
    expect(await probe("/readyz")).toEqual({ status: 200, body: { status: "ready" } });
    expect((await fetch(`${workerUrl}/metrics`)).status).toBe(401);
    const scrape = await fetch(`${workerUrl}/metrics`, { headers: { authorization: `Bearer ${OPERATOR}` } });
    expect(scrape.status).toBe(200);
  });

  it("turn not-ready as soon as SIGTERM arrives, stay live through the drain, and the call still finishes", async () => {
    const res = await fetch(`${apiUrl}/v1/jobs`, {
      method: "POST",
      headers,
      body: JSON.stringify({ input: `${simMarker({ latency_ms: 4_000 })} A slow question` }),
    });
    const { id } = await jobFrom(res);
    let job = await getJob(id);
    while (job.status !== "running") job = await getJob(id, 0.05);
    // Busy with a call: the event loop is free, so liveness answers at once.
    expect(await probe("/healthz")).toEqual({ status: 200, body: { status: "ok" } });

    worker.child.kill("SIGTERM");
    await expect
      .poll(() => probe("/readyz"), { timeout: 2_000, interval: 50 })
      .toEqual({
        status: 503,
        body: {
          error: {
            type: "service_unavailable",
            message: "not ready: draining after SIGTERM: taking no new jobs, finishing the calls in flight",
          },
        },
      });
    // Still draining: the call runs on, and a liveness probe must not kill the worker now.
    expect((await getJob(id)).status).toBe("running");
    expect((await probe("/healthz")).status).toBe(200);

    expect(await worker.exited).toBe(0);
    const finished = await getJob(id);
    expect(finished.status).toBe("succeeded");
    expect(finished.attempts.map((a) => a.outcome)).toEqual(["succeeded"]);
  });
});
