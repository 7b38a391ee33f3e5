import { randomUUID } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";
import type { JobRecord } from "@llmr/core";
import { createRedis, JobRequestSchema, JobStore, RedisKeys, submitJob, TierQueues } from "@llmr/core";
import { simMarker } from "@llmr/simulator";
import { findFreePort, waitForOutput } from "@llmr/testing";
import { benchConfig, writeBenchConfigFile } from "./bench-config.ts";
import { startChildApp, startWorkerChild } from "./child-app.ts";
import type { ScenarioResult } from "./results.ts";
import { ratio, round, summarize } from "./stats.ts";
import { waitForWorkers } from "./wait-for-workers.ts";

/** Sizes of the interactive-under-load scenario. */
export interface InteractiveUnderLoadOptions {
  redisUrl: string;
  quick: boolean;
  /** Where the worker process writes its CPU profile; none when absent. */
  cpuProfDir?: string;
}

const TIER = "fast";
/** Every call takes this long at the simulator, so worker slots are really held. */
const CALL_LATENCY_MS = 20;
/** One interactive job every this many ms: a steady trickle of users, open loop. */
const INTERACTIVE_EVERY_MS = 50;
/** Submissions in flight while a backlog is enqueued. */
const ENQUEUE_CONCURRENCY = 64;

/**
 * Scenario 3: interactive enqueue-to-start wait (the job's `started_at - created_at`) with the
 * workers idle, then while a backlog of batch jobs drains through the same tier on the same
 * worker process; and the batch backlog's drain rate alone vs with the interactive trickle.
 * The worker (one process serving the tier's two classes, as `npm start` and the k8s manifests
 * run it) and the simulator are processes of their own; jobs are submitted through `submitJob`
 * from here, so the API's own throughput does not pace the backlog.
 */
export async function runInteractiveUnderLoad(options: InteractiveUnderLoadOptions): Promise<ScenarioResult> {
  const counts = options.quick
    ? { batchJobs: 400, interactiveJobs: 30 }
    : { batchJobs: 10_000, interactiveJobs: 400 };
  // The simulator answers from a process of its own: in this one, serving the backlog's calls
  // would delay the interactive submissions whose wait is being measured.
  const simulatorPort = await findFreePort();
  const simulatorProcess = startChildApp({
    name: "simulator",
    script: "apps/simulator/src/main.ts",
    env: { SIMULATOR_PORT: String(simulatorPort), SIMULATOR_LATENCY_SCALE: "0" },
  });
  const simulator = { url: `http://127.0.0.1:${simulatorPort}`, close: () => simulatorProcess.stop() };
  await waitForOutput(simulatorProcess, "listening on").catch(async (error: unknown) => {
    await simulatorProcess.stop();
    throw error;
  });
  const keyPrefix = `bench-${randomUUID()}`;
  // The tier's slots as shipped (interactive work has its own): part of what is measured.
  const configPath = writeBenchConfigFile(keyPrefix);
  const config = benchConfig(simulator.url, keyPrefix);
  const slots = config.tiers.find((tier) => tier.name === TIER)?.concurrency ?? { interactive: 0, batch: 0 };
  const redis = createRedis(options.redisUrl, "worker", "llmr-bench-submitter");
  const store = new JobStore(redis, new RedisKeys(keyPrefix), {
    retentionSeconds: config.jobs.retentionSeconds,
  });
  const queues = new TierQueues(redis, config);
  const worker = startWorkerChild({
    redisUrl: options.redisUrl,
    configPath,
    simulatorUrl: simulator.url,
    tier: TIER,
    cpuProfDir: options.cpuProfDir,
  });
  const submit = async (jobClass: "interactive" | "batch", i: number) => {
    const input = `${simMarker({ latency_ms: CALL_LATENCY_MS })} ${jobClass} question ${i}: name a colour.`;
    const request = JobRequestSchema.parse({ input, class: jobClass, tier: TIER });
    return (await submitJob({ config, store, queues }, "bench", request)).job.id;
  };
  const backlogOf = async () => {
    const counts = await queues.get(TIER, "batch").getJobCounts("wait", "active", "prioritized", "delayed");
    return Object.values(counts).reduce((sum, n) => sum + n, 0);
  };
  const enqueueBacklog = async (n: number) => {
    const ids: string[] = [];
    for (let next = 0; next < n; next += ENQUEUE_CONCURRENCY) {
      const chunk = Array.from({ length: Math.min(ENQUEUE_CONCURRENCY, n - next) }, (_, i) =>
        submit("batch", next + i),
      );
      ids.push(...(await Promise.all(chunk)));
    }
    return ids;
  };
  /** Submits interactive jobs every INTERACTIVE_EVERY_MS, up to `max`, while `keepGoing` says so. */
  const trickle = async (max: number, keepGoing: () => Promise<boolean>) => {
    const pending: Array<Promise<string>> = [];
    for (let i = 0; i < max && (await keepGoing()); i++) {
      pending.push(submit("interactive", i));
      await sleep(INTERACTIVE_EVERY_MS);
    }
    return Promise.all(pending);
  };

  try {
    // Quiet logs (per-job lines would measure the pipe): readiness is the workers on the queues.
    await waitForWorkers(queues, TIER, { classes: ["interactive", "batch"], output: () => worker.output() });
    // Warm-up: JIT, connections and scripts on both sides.
    await waitForAll(store, await trickle(20, async () => true));

    const idleIds = await trickle(counts.interactiveJobs, async () => true);
    const idle = waitsMs(await waitForAll(store, idleIds));

    // Polling ten thousand records would load Redis as much as the workers do: watch the queue,
    // then read the records once.
    const drained = async () => {
      while ((await backlogOf()) > 0) await sleep(100);
    };
    const soloIds = await enqueueBacklog(counts.batchJobs);
    await drained();
    const solo = drainRate(await waitForAll(store, soloIds));

    const loadedBatchIds = await enqueueBacklog(counts.batchJobs);
    // Only interactive jobs submitted while the backlog is still there count.
    const loadedIds = await trickle(counts.interactiveJobs, async () => (await backlogOf()) > 0);
    await drained();
    const loadedBatch = await waitForAll(store, loadedBatchIds);
    const loaded = waitsMs(await waitForAll(store, loadedIds));
    if (loaded.length < Math.min(10, counts.interactiveJobs))
      throw new Error(`the backlog drained after ${loaded.length} interactive jobs: too few to measure`);
    const loadedRate = drainRate(loadedBatch);

    const idleSummary = summarize(idle);
    const loadedSummary = summarize(loaded);
    return {
      scenario: "interactive-under-load",
      description: `interactive enqueue-to-start wait idle (baseline) vs while ${counts.batchJobs} batch jobs drain on the same tier; batch drain rate alone (baseline) vs with the interactive trickle`,
      params: {
        ...counts,
        interactiveMeasuredUnderLoad: loaded.length,
        callLatencyMs: CALL_LATENCY_MS,
        interactiveEveryMs: INTERACTIVE_EVERY_MS,
        interactiveSlots: slots.interactive,
        batchSlots: slots.batch,
      },
      baseline: {
        interactiveWaitP50Ms: idleSummary.p50Ms,
        interactiveWaitP99Ms: idleSummary.p99Ms,
        batchJobsPerSecond: round(solo, 1),
      },
      ours: {
        interactiveWaitP50Ms: loadedSummary.p50Ms,
        interactiveWaitP99Ms: loadedSummary.p99Ms,
        batchJobsPerSecond: round(loadedRate, 1),
      },
      ratios: {
        interactiveWaitP50: ratio(loadedSummary.p50Ms, idleSummary.p50Ms),
        interactiveWaitP99: ratio(loadedSummary.p99Ms, idleSummary.p99Ms),
        batchThroughput: ratio(loadedRate, solo),
      },
    };
  } finally {
    await worker.stop();
    await queues.close();
    redis.disconnect();
    await simulator.close();
  }
}

/** The records of `ids` once every one has finished; throws if one failed (a failed job measures nothing). */
async function waitForAll(store: JobStore, ids: readonly string[]): Promise<JobRecord[]> {
  const done = new Map<string, JobRecord>();
  for (;;) {
    const open = ids.filter((id) => !done.has(id));
    if (open.length === 0) break;
    const records = await Promise.all(open.map((id) => store.get(id)));
    for (const stored of records) {
      const job = stored?.record.job;
      if (stored && job?.status === "succeeded") done.set(job.id, stored.record);
      else if (job?.status === "failed") throw new Error(`bench job ${job.id} failed: ${job.error?.message}`);
    }
    if (done.size < ids.length) await sleep(100);
  }
  return ids.map((id) => done.get(id) as JobRecord);
}

/** Enqueue-to-start wait of each job, in ms. */
function waitsMs(records: readonly JobRecord[]): number[] {
  return records.map((record) => Date.parse(record.job.started_at ?? "") - Date.parse(record.job.created_at));
}

/** Jobs finished per second, from the first start to the last finish. */
function drainRate(records: readonly JobRecord[]): number {
  const starts = records.map((record) => Date.parse(record.job.started_at ?? ""));
  const finishes = records.map((record) => Date.parse(record.job.finished_at ?? ""));
  const spanMs = Math.max(...finishes) - Math.min(...starts);
  return records.length / (spanMs / 1_000);
}
