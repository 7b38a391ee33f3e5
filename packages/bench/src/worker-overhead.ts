import { randomUUID } from "node:crypto";
import type { RouterConfig } from "@llmr/config";
import {
  closeTierWorkers,
  createDispatchGates,
  createRedis,
  JobEvents,
  JobRequestSchema,
  JobStore,
  ProviderPool,
  RedisKeys,
  startTierWorkers,
  submitJob,
  TierQueues,
  tierJobOptions,
} from "@llmr/core";
import { startSimulator } from "@llmr/simulator";
import { Queue, Worker } from "bullmq";
import OpenAI from "openai";
import { benchConfig } from "./bench-config.ts";
import type { JobSystem } from "./completions.ts";
import { Completions, measureJobSystem } from "./completions.ts";
import { withCpuProfile } from "./cpu-profile.ts";
import type { ScenarioResult } from "./results.ts";
import { ratio, round, summarize } from "./stats.ts";

/** Sizes of the worker overhead scenario. */
export interface WorkerOverheadOptions {
  redisUrl: string;
  quick: boolean;
  /** Where the in-process CPU profile goes; none when absent. */
  cpuProfDir?: string;
}

const MODEL = "gpt-5.4-nano";

/**
 * Scenario 1: the same jobs through a bare BullMQ worker that calls the simulator with the OpenAI
 * SDK, then through the router's worker path (routing, gates, attempt record, checks, result
 * write) on the fast tier's interactive queue, at the same concurrency, simulator at zero latency.
 */
export async function runWorkerOverhead(options: WorkerOverheadOptions): Promise<ScenarioResult> {
  const counts = options.quick
    ? { warmupJobs: 20, burstJobs: 200, latencyJobs: 30 }
    : { warmupJobs: 300, burstJobs: 5_000, latencyJobs: 500 };
  const simulator = await startSimulator({ port: 0, latencyScale: 0 });
  const config = benchConfig(simulator.url, `bench-${randomUUID()}`);
  const concurrency = config.tiers.find((tier) => tier.name === "fast")?.concurrency.interactive ?? 16;
  try {
    return await withCpuProfile(options.cpuProfDir, "worker-overhead", async () => {
      const bare = await measureAndClose(
        startBareWorker(options.redisUrl, config, simulator.url, concurrency),
        counts,
      );
      const ours = await measureAndClose(startRouterWorker(options.redisUrl, config), counts);
      const base = summarize(bare.latenciesMs);
      const mine = summarize(ours.latenciesMs);
      return {
        scenario: "worker-overhead",
        description:
          "jobs through a bare BullMQ worker + OpenAI SDK vs the router's worker path (simulator at 0 latency)",
        params: { concurrency, ...counts },
        baseline: { jobsPerSecond: round(bare.jobsPerSecond, 1), p50Ms: base.p50Ms, p99Ms: base.p99Ms },
        ours: { jobsPerSecond: round(ours.jobsPerSecond, 1), p50Ms: mine.p50Ms, p99Ms: mine.p99Ms },
        ratios: {
          throughput: ratio(ours.jobsPerSecond, bare.jobsPerSecond),
          p50: ratio(mine.p50Ms, base.p50Ms),
          p99: ratio(mine.p99Ms, base.p99Ms),
        },
        deltas: { addedP50Ms: round(mine.p50Ms - base.p50Ms), addedP99Ms: round(mine.p99Ms - base.p99Ms) },
      };
    });
  } finally {
    await simulator.close();
  }
}

async function measureAndClose(system: JobSystem, counts: Parameters<typeof measureJobSystem>[1]) {
  try {
    const figures = await measureJobSystem(system, counts);
    // A failed job would be a fast no-op, not a measurement: refuse the figures.
    if (system.completions.failures > 0)
      throw new Error(`${system.completions.failures} bench jobs failed; the figures would be meaningless`);
    return figures;
  } finally {
    await system.close();
  }
}

function startBareWorker(
  redisUrl: string,
  config: RouterConfig,
  simulatorUrl: string,
  concurrency: number,
): JobSystem {
  const connection = createRedis(redisUrl, "worker", "llmr-bench-bare");
  const prefix = config.redis.keyPrefix;
  const queueName = `bare-${randomUUID()}`;
  const queue = new Queue(queueName, { connection, prefix });
  const openai = new OpenAI({ baseURL: `${simulatorUrl}/v1`, apiKey: "sk-bench", maxRetries: 0 });
  const maxTokens = config.tasks.get("chat")?.maxOutputTokens ?? 1024;
  const completions = new Completions();
  const worker = new Worker<{ input: string }>(
    queueName,
    async (job) => {
      const completion = await openai.chat.completions.create({
        model: MODEL,
        messages: [{ role: "user", content: job.data.input }],
        max_completion_tokens: maxTokens,
      });
      return completion.choices[0]?.message.content ?? "";
    },
    { connection, prefix, concurrency },
  );
  worker.on("completed", (job) => completions.finish(job.id ?? "", true));
  worker.on("failed", (job) => completions.finish(job?.id ?? "", false));
  // Same trimming as the router's tier jobs, so neither side keeps more in Redis.
  const { removeOnComplete, removeOnFail } = tierJobOptions(config);
  return {
    completions,
    submit: async (input) => {
      const job = await queue.add("bench", { input }, { removeOnComplete, removeOnFail });
      return job.id ?? "";
    },
    close: async () => {
      await worker.close();
      await queue.close();
      connection.disconnect();
    },
  };
}

function startRouterWorker(redisUrl: string, config: RouterConfig): JobSystem {
  const connection = createRedis(redisUrl, "worker", "llmr-bench-router");
  const keys = new RedisKeys(config.redis.keyPrefix);
  const retention = {
    retentionSeconds: config.jobs.retentionSeconds,
    eventsRetentionSeconds: config.jobs.eventsRetentionSeconds,
  };
  const store = new JobStore(connection, keys, retention);
  const queues = new TierQueues(connection, config);
  const completions = new Completions();
  const workers = startTierWorkers(
    connection,
    {
      config,
      store,
      queues,
      gates: createDispatchGates(connection, config),
      providers: new ProviderPool(config),
      events: new JobEvents(connection, keys, retention),
      // Emitted once the finished record is stored: the result is then visible through the API.
      onEvent: (event) => {
        if (event.type === "finished") completions.finish(event.jobId, event.job.status === "succeeded");
      },
    },
    { tiers: ["fast"], classes: ["interactive"] },
  );
  return {
    completions,
    submit: async (input) => {
      const record = await submitJob({ config, store, queues }, "bench", JobRequestSchema.parse({ input }));
      return record.job.id;
    },
    close: async () => {
      await closeTierWorkers(workers);
      await queues.close();
      connection.disconnect();
    },
  };
}
