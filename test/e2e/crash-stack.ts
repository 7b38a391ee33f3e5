import type { PublicJob } from "@llmr/core";
import type { RunningSimulator } from "@llmr/simulator";
import { startSimulator } from "@llmr/simulator";
import type { AppProcess } from "@llmr/testing";
import { findFreePort, redisFixture, startAppProcess, waitUntilReady } from "@llmr/testing";
import { afterAll, beforeAll } from "vitest";
import { jobFrom } from "./api-answers.ts";
import { writeRouterConfig } from "./router-config-file.ts";

/** The stack of a crash test: its workers are started (and killed) by the test itself. */
export interface CrashStack {
  readonly simulator: RunningSimulator;
  /** Every worker the test started; all are stopped after the file. */
  readonly workers: AppProcess[];
  /** A worker process on this stack's Redis, config and simulator, plus `extraEnv`. */
  startWorker(extraEnv?: Record<string, string>): AppProcess;
  /** `POST /v1/jobs`; resolves with the 202's job. */
  submit(body: unknown): Promise<PublicJob>;
  /** `GET /v1/jobs/{id}?wait=` the given seconds. */
  getJob(id: string, waitS?: number): Promise<PublicJob>;
}

/**
 * For a test file that kills workers: the API and the simulator, started before the file's tests
 * and stopped after them, on a worker lock of 2 s so that a dead worker's job is taken up again
 * within seconds. `extraYaml` adds config sections (e.g. `webhooks:`).
 */
export function crashStack(options: { apiKey: string; extraYaml?: string }): CrashStack {
  const redis = redisFixture();
  const workers: AppProcess[] = [];
  let simulator: RunningSimulator | undefined;
  let api: AppProcess | undefined;
  let apiUrl = "";
  let env: Record<string, string> = {};
  const headers = { authorization: `Bearer ${options.apiKey}`, "content-type": "application/json" };

  beforeAll(async () => {
    simulator = await startSimulator({ port: 0, latencyScale: 0 });
    const port = await findFreePort();
    apiUrl = `http://127.0.0.1:${port}`;
    env = {
      ...redis.env,
      ROUTER_CONFIG: writeRouterConfig(redis.prefix, options.extraYaml),
      SIMULATOR_URL: simulator.url,
      WORKER_LOCK_DURATION_MS: "2000",
    };
    api = startAppProcess("api", { ...env, PORT: String(port), LLMR_API_KEYS: `crash:${options.apiKey}` });
    await waitUntilReady(api, `${apiUrl}/readyz`);
  });

  afterAll(async () => {
    await Promise.all([api?.stop(), ...workers.map((worker) => worker.stop())]);
    await simulator?.close();
  });

  return {
    get simulator() {
      if (!simulator) throw new Error("the crash stack is not started (use it inside a test)");
      return simulator;
    },
    workers,
    startWorker: (extraEnv = {}) => {
      const worker = startAppProcess("worker", { ...env, ...extraEnv });
      workers.push(worker);
      return worker;
    },
    submit: async (body) =>
      jobFrom(await fetch(`${apiUrl}/v1/jobs`, { method: "POST", headers, body: JSON.stringify(body) })),
    getJob: async (id, waitS = 0) =>
      jobFrom(await fetch(`${apiUrl}/v1/jobs/${id}?wait=${waitS}`, { headers })),
  };
}
