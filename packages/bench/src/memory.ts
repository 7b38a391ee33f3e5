import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import { setTimeout as sleep } from "node:timers/promises";
import { createRedis, TierQueues } from "@llmr/core";
import { startSimulator } from "@llmr/simulator";
import type { AppProcess } from "@llmr/testing";
import { findFreePort, waitUntilReady } from "@llmr/testing";
import autocannon from "autocannon";
import { Queue, Worker } from "bullmq";
import OpenAI from "openai";
import { benchConfig, writeBenchConfigFile } from "./bench-config.ts";
import { startChildApp, startWorkerChild } from "./child-app.ts";
import type { ScenarioResult } from "./results.ts";
import { ratio, round } from "./stats.ts";
import { waitForWorkers } from "./wait-for-workers.ts";

/** Sizes of the memory scenario. */
export interface MemoryOptions {
  redisUrl: string;
  quick: boolean;
  /** Where the children write their CPU profiles; none when absent. */
  cpuProfDir?: string;
}

const API_KEY = "llmr_bench_0123456789abcdef0123456789abcdef";
const INPUT = "Explain what a dead-letter queue is in two sentences.";
const MODEL = "gpt-5.4-nano";
const CONNECTIONS = 32;
const MIB = 1024 * 1024;

/**
 * Scenario 5: N jobs through the API and a worker process (both children), every result retained
 * as the config says (`jobs.retention_s`); then the API's and the worker's resident memory against
 * their own idle figure after a warm-up, and Redis `used_memory` per retained job against a bare
 * BullMQ queue keeping the same jobs' answers as completed jobs (`removeOnComplete: false`).
 */
export async function runMemory(options: MemoryOptions): Promise<ScenarioResult> {
  const counts = options.quick ? { jobs: 1_000, bareJobs: 1_000 } : { jobs: 100_000, bareJobs: 10_000 };
  const simulator = await startSimulator({ port: 0, latencyScale: 0 });
  const keyPrefix = `bench-${randomUUID()}`;
  const configPath = writeBenchConfigFile(keyPrefix);
  const config = benchConfig(simulator.url, keyPrefix);
  const redis = createRedis(options.redisUrl, "worker", "llmr-bench-memory");
  const queues = new TierQueues(redis, config);
  const port = await findFreePort();
  const origin = `http://127.0.0.1:${port}`;
  const profile = options.cpuProfDir === undefined ? {} : { cpuProfDir: options.cpuProfDir };
  const env = {
    REDIS_URL: options.redisUrl,
    ROUTER_CONFIG: configPath,
    SIMULATOR_URL: simulator.url,
    LOG_LEVEL: "warn",
  };
  const api = startChildApp({
    name: "api",
    script: "apps/api/src/main.ts",
    env: { ...env, PORT: String(port), LLMR_API_KEYS: `bench:${API_KEY}` },
    ...profile,
  });
  const worker = startWorkerChild({
    redisUrl: options.redisUrl,
    configPath,
    simulatorUrl: simulator.url,
    ...profile,
  });
  const drained = async () => {
    const queue = queues.get("fast", "interactive");
    for (;;) {
      const counts = await queue.getJobCounts("wait", "active", "prioritized", "delayed");
      if (Object.values(counts).every((n) => n === 0)) return;
      await sleep(250);
    }
  };
  try {
    await waitUntilReady(api, `${origin}/readyz`);
    await waitForWorkers(queues, "fast", { classes: ["interactive"], output: worker.output });
    // Warm-up, then the idle figures: what each process holds before the measured jobs.
    await post(origin, 200);
    await drained();
    const idle = { api: rssMiB(api), worker: rssMiB(worker), redis: await usedMemory(redis) };

    const submitted = await post(origin, counts.jobs);
    await drained();
    const after = { api: rssMiB(api), worker: rssMiB(worker), redis: await usedMemory(redis) };
    const bytesPerJob = (after.redis - idle.redis) / submitted;

    const bareBytesPerJob = await bareBullmqBytesPerJob(options.redisUrl, simulator.url, counts.bareJobs);
    return {
      scenario: "memory",
      description: `API and worker RSS after ${counts.jobs} jobs vs idle after warm-up; Redis bytes per retained job vs a bare BullMQ queue keeping its completed jobs`,
      params: { ...counts, retentionSeconds: config.jobs.retentionSeconds },
      baseline: {
        apiRssMiB: idle.api,
        workerRssMiB: idle.worker,
        redisBytesPerJob: round(bareBytesPerJob, 0),
      },
      ours: { apiRssMiB: after.api, workerRssMiB: after.worker, redisBytesPerJob: round(bytesPerJob, 0) },
      ratios: {
        apiRss: ratio(after.api, idle.api),
        workerRss: ratio(after.worker, idle.worker),
        redisBytesPerJob: ratio(bytesPerJob, bareBytesPerJob),
      },
    };
  } finally {
    await Promise.all([api.stop(), worker.stop()]);
    await queues.close();
    redis.disconnect();
    await simulator.close();
  }
}

/** POSTs `n` jobs through the API (autocannon, CONNECTIONS at a time); resolves with the 202s. */
async function post(origin: string, n: number): Promise<number> {
  const result = await autocannon({
    url: `${origin}/v1/jobs`,
    method: "POST",
    headers: { authorization: `Bearer ${API_KEY}`, "content-type": "application/json" },
    body: JSON.stringify({ input: INPUT }),
    connections: CONNECTIONS,
    amount: n,
  });
  const accepted = result["2xx"];
  if (accepted !== n) throw new Error(`${n - accepted} of ${n} jobs were not accepted`);
  return accepted;
}

/** Resident set of a child process, in MiB (Linux `/proc`). */
function rssMiB(app: AppProcess): number {
  const status = readFileSync(`/proc/${app.child.pid}/status`, "utf8");
  const kib = Number(/^VmRSS:\s+(\d+) kB$/m.exec(status)?.[1] ?? Number.NaN);
  return round((kib * 1024) / MIB, 1);
}

async function usedMemory(redis: ReturnType<typeof createRedis>): Promise<number> {
  const info = await redis.info("memory");
  return Number(/^used_memory:(\d+)/m.exec(info)?.[1] ?? Number.NaN);
}

/**
 * The baseline: `n` jobs with the same input through a bare BullMQ worker that asks the simulator
 * with the OpenAI SDK and returns the answer, every completed job kept. Bytes of Redis per job.
 */
async function bareBullmqBytesPerJob(redisUrl: string, simulatorUrl: string, n: number): Promise<number> {
  const connection = createRedis(redisUrl, "worker", "llmr-bench-bare-memory");
  const prefix = `bench-bare-${randomUUID()}`;
  const queue = new Queue("bare", { connection, prefix });
  const openai = new OpenAI({ baseURL: `${simulatorUrl}/v1`, apiKey: "sk-bench", maxRetries: 0 });
  let done = 0;
  let failed = 0;
  const worker = new Worker<{ input: string }>(
    "bare",
    async (job) => {
      const completion = await openai.chat.completions.create({
        model: MODEL,
        messages: [{ role: "user", content: job.data.input }],
      });
      return completion.choices[0]?.message.content ?? "";
    },
    { connection, prefix, concurrency: 16 },
  );
  worker.on("completed", () => done++);
  worker.on("failed", () => failed++);
  try {
    const before = await usedMemory(connection);
    for (let i = 0; i < n; i += 1_000) {
      const batch = Array.from({ length: Math.min(1_000, n - i) }, () => ({
        name: "bench",
        data: { input: INPUT },
        opts: { removeOnComplete: false },
      }));
      await queue.addBulk(batch);
    }
    while (done + failed < n) await sleep(100);
    // A failed job keeps no answer: the figure would be too small.
    if (failed > 0) throw new Error(`${failed} bare bench jobs failed`);
    return ((await usedMemory(connection)) - before) / n;
  } finally {
    await worker.close();
    await queue.obliterate({ force: true });
    await queue.close();
    connection.disconnect();
  }
}
