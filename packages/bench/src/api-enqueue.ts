import { randomUUID } from "node:crypto";
import type { AppProcess as ChildApp } from "@llmr/testing";
import { findFreePort, waitUntilReady } from "@llmr/testing";
import { writeBenchConfigFile } from "./bench-config.ts";
import { startChildApp } from "./child-app.ts";
import type { HttpLoadFigures, HttpLoadOptions } from "./http-load.ts";
import { runHttpLoad } from "./http-load.ts";
import type { ScenarioResult } from "./results.ts";
import { ratio } from "./stats.ts";

/** Sizes of the API enqueue scenario. */
export interface ApiEnqueueOptions {
  redisUrl: string;
  quick: boolean;
  /** Where the children write their CPU profiles; none when absent. */
  cpuProfDir?: string;
}

const API_KEY = "llmr_bench_0123456789abcdef0123456789abcdef";
/** The same connections for both servers; enough to keep a 2-core machine's server busy. */
const CONNECTIONS = 32;

/**
 * Scenario 2: `POST /v1/jobs` on the real API process (auth, validation, idempotency check, job
 * record and enqueue in Redis) vs an express hello-world answering 202, both as child processes,
 * loaded by autocannon with the same connections. No worker runs: the queue only grows.
 */
export async function runApiEnqueue(options: ApiEnqueueOptions): Promise<ScenarioResult> {
  const seconds = options.quick
    ? { warmupSeconds: 1, measureSeconds: 2 }
    : { warmupSeconds: 3, measureSeconds: 10 };
  const profile = options.cpuProfDir === undefined ? {} : { cpuProfDir: options.cpuProfDir };

  const helloPort = await findFreePort();
  const hello = startChildApp({
    name: "express-hello",
    script: "packages/bench/src/express-hello.ts",
    env: { PORT: String(helloPort) },
    ...profile,
  });
  const baseline = await measureChild(hello, `http://127.0.0.1:${helloPort}`, "/healthz", "/", {}, seconds);

  const apiPort = await findFreePort();
  const api = startChildApp({
    name: "api",
    script: "apps/api/src/main.ts",
    env: {
      PORT: String(apiPort),
      REDIS_URL: options.redisUrl,
      ROUTER_CONFIG: writeBenchConfigFile(`bench-${randomUUID()}`),
      // Never called: no worker runs. The config only needs it to resolve.
      SIMULATOR_URL: "http://127.0.0.1:9",
      LLMR_API_KEYS: `bench:${API_KEY}`,
      // Per-request info logs would measure the pipe to this process as much as the API.
      LOG_LEVEL: "warn",
    },
    ...profile,
  });
  const auth = { authorization: `Bearer ${API_KEY}` };
  const ours = await measureChild(api, `http://127.0.0.1:${apiPort}`, "/readyz", "/v1/jobs", auth, seconds);

  return {
    scenario: "api-enqueue",
    description: "POST /v1/jobs on the API process vs an express hello-world POST answering 202 (autocannon)",
    params: { connections: CONNECTIONS, ...seconds },
    baseline: { requestsPerSecond: baseline.requestsPerSecond, p50Ms: baseline.p50Ms, p99Ms: baseline.p99Ms },
    ours: { requestsPerSecond: ours.requestsPerSecond, p50Ms: ours.p50Ms, p99Ms: ours.p99Ms },
    ratios: {
      throughput: ratio(ours.requestsPerSecond, baseline.requestsPerSecond),
      p50: ratio(ours.p50Ms, baseline.p50Ms),
      p99: ratio(ours.p99Ms, baseline.p99Ms),
    },
  };
}

async function measureChild(
  app: ChildApp,
  origin: string,
  readyPath: string,
  postPath: string,
  headers: Record<string, string>,
  seconds: { warmupSeconds: number; measureSeconds: number },
): Promise<HttpLoadFigures> {
  try {
    await waitUntilReady(app, `${origin}${readyPath}`);
    const load: HttpLoadOptions = {
      url: `${origin}${postPath}`,
      method: "POST",
      headers: { ...headers, "content-type": "application/json" },
      body: JSON.stringify({ input: "Explain what a dead-letter queue is in two sentences." }),
      connections: CONNECTIONS,
      durationSeconds: seconds.warmupSeconds,
    };
    await runHttpLoad(load);
    const figures = await runHttpLoad({ ...load, durationSeconds: seconds.measureSeconds });
    if (figures.failed > 0 || figures.ok === 0)
      throw new Error(`${app.name}: ${figures.failed} failed requests, ${figures.ok} ok:\n${app.output()}`);
    return figures;
  } finally {
    await app.stop();
  }
}
