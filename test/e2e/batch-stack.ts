import { readFileSync, writeFileSync } from "node:fs";
import { setTimeout as sleep } from "node:timers/promises";
import type { BatchResultLine, BatchResultsEnd, PublicBatch, PublicJob } from "@llmr/core";
import { BatchObjectSchema } from "@llmr/core";
import type { SimulatorStats } from "@llmr/simulator";
import type { AppProcess } from "@llmr/testing";
import { findFreePort, redisFixture, startAppProcess, waitUntilReady } from "@llmr/testing";
import { afterAll, beforeAll } from "vitest";
import { jobFrom } from "./api-answers.ts";
import { writeRouterConfig } from "./router-config-file.ts";

/** The API, a worker and the simulator, each a process of its own, and HTTP helpers to drive them. */
export interface BatchStack {
  /** `POST /v1/batches` with a JSON body; resolves with the 202's batch. */
  submitBatch(body: unknown): Promise<PublicBatch>;
  getBatch(id: string): Promise<PublicBatch>;
  /** `POST /v1/batches/{id}/cancel`; resolves with the batch it answers. */
  cancelBatch(id: string): Promise<PublicBatch>;
  /** Every line of `GET /v1/batches/{id}/results`, parsed. */
  results(id: string): Promise<Array<BatchResultLine | BatchResultsEnd>>;
  /** `POST /v1/jobs`; resolves with the 202's job. */
  submitJob(body: unknown): Promise<PublicJob>;
  /** `GET /v1/jobs/{id}?wait=` the given seconds. */
  getJob(id: string, waitS?: number): Promise<PublicJob>;
  /** The simulator's `GET /_sim/stats`: what it really received, whatever the router says. */
  simulatorStats(): Promise<SimulatorStats>;
}

/**
 * Starts the stack before the file's tests and stops it after them. The shipped config, with two
 * changes that keep the measurement about scheduling: deployments' RPM/TPM budgets and the API's
 * per-key rate limit are far above what a test reaches (hundreds of calls in seconds would
 * otherwise be paced by the minute windows, or refused with 429s). The API and the worker log
 * warnings only: a line per request or job through the pipe to this process would load the
 * machine whose latency a test measures.
 */
export function batchStack(options: { apiKey: string }): BatchStack {
  const redis = redisFixture();
  const processes: AppProcess[] = [];
  let apiUrl = "";
  let simulatorUrl = "";
  const headers = { authorization: `Bearer ${options.apiKey}`, "content-type": "application/json" };

  beforeAll(async () => {
    const [apiPort, simulatorPort, workerPort] = [
      await findFreePort(),
      await findFreePort(),
      await findFreePort(),
    ];
    apiUrl = `http://127.0.0.1:${apiPort}`;
    simulatorUrl = `http://127.0.0.1:${simulatorPort}`;
    const configPath = writeRouterConfig(
      redis.prefix,
      "api:\n  rate_limit: { requests_per_minute: 1000000, burst: 100000 }\n",
    );
    writeFileSync(
      configPath,
      readFileSync(configPath, "utf8").replace(/rpm: \d+, tpm: \d+/g, "rpm: 1000000000, tpm: 1000000000"),
    );
    const env = { ...redis.env, ROUTER_CONFIG: configPath, SIMULATOR_URL: simulatorUrl };
    const simulator = startAppProcess("simulator", {
      SIMULATOR_PORT: String(simulatorPort),
      SIMULATOR_LATENCY_SCALE: "0",
    });
    const api = startAppProcess("api", {
      ...env,
      PORT: String(apiPort),
      LLMR_API_KEYS: `batch:${options.apiKey}`,
      LOG_LEVEL: "warn",
    });
    const worker = startAppProcess("worker", {
      ...env,
      WORKER_METRICS_PORT: String(workerPort),
      LOG_LEVEL: "warn",
    });
    processes.push(simulator, api, worker);
    await Promise.all([
      waitUntilReady(simulator, `${simulatorUrl}/healthz`),
      waitUntilReady(api, `${apiUrl}/readyz`),
      waitUntilReady(worker, `http://127.0.0.1:${workerPort}/readyz`),
    ]);
  });

  afterAll(async () => {
    await Promise.all(processes.map((app) => app.stop()));
  });

  const batchFrom = async (res: Response) => {
    const body: unknown = await res.json();
    if (!res.ok) throw new Error(`batch request answered ${res.status}: ${JSON.stringify(body)}`);
    return BatchObjectSchema.parse(body);
  };

  return {
    submitBatch: async (body) =>
      batchFrom(await fetch(`${apiUrl}/v1/batches`, { method: "POST", headers, body: JSON.stringify(body) })),
    getBatch: async (id) => batchFrom(await fetch(`${apiUrl}/v1/batches/${id}`, { headers })),
    cancelBatch: async (id) =>
      batchFrom(await fetch(`${apiUrl}/v1/batches/${id}/cancel`, { method: "POST", headers })),
    results: async (id) => {
      const text = await (await fetch(`${apiUrl}/v1/batches/${id}/results`, { headers })).text();
      return text
        .split("\n")
        .filter((line) => line.length > 0)
        .map((line) => JSON.parse(line) as BatchResultLine | BatchResultsEnd);
    },
    submitJob: async (body) =>
      jobFrom(await fetch(`${apiUrl}/v1/jobs`, { method: "POST", headers, body: JSON.stringify(body) })),
    getJob: async (id, waitS = 0) =>
      jobFrom(await fetch(`${apiUrl}/v1/jobs/${id}?wait=${waitS}`, { headers })),
    simulatorStats: async () => (await (await fetch(`${simulatorUrl}/_sim/stats`)).json()) as SimulatorStats,
  };
}

/** Polls `read` every 50 ms until `done` holds for what it read; throws after `timeoutMs`. */
export async function pollUntil<T>(
  read: () => Promise<T>,
  done: (value: T) => boolean,
  timeoutMs = 20_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline)
      throw new Error(`still not there after ${timeoutMs} ms: ${JSON.stringify(value)}`);
    await sleep(50);
  }
}
