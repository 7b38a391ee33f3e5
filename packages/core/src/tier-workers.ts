import type { JobClass, RouterConfig } from "@llmr/config";
import { JOB_CLASSES } from "@llmr/config";
import type { DailyWindow } from "@llmr/daily-window";
import type { Job } from "bullmq";
import { Worker } from "bullmq";
import type { BatchWindowGateOptions } from "./batch-window-gate.ts";
import { BatchWindowGate } from "./batch-window-gate.ts";
import { RetryLaterError } from "./errors/retry-later-error.ts";
import type { JobEventHub } from "./job-event-hub.ts";
import type { ProcessorDeps } from "./process-job.ts";
import { createJobProcessor } from "./process-job.ts";
import type { RedisClient } from "./redis-connection.ts";
import { tierQueueName } from "./redis-keys.ts";
import { ROUTER_BACKOFF } from "./tier-queues.ts";

export interface TierWorkerOptions {
  /** Only these tiers (all when absent). */
  tiers?: readonly string[];
  /** Only these classes (both when absent). */
  classes?: readonly JobClass[];
  /**
   * How long a job's lock lasts; it is renewed every half of it while a call is pending. A crashed
   * worker's job is taken up by another after about this long.
   * @defaultValue 30000
   */
  lockDurationMs?: number;
  /**
   * Batch-class workers take jobs only inside this daily window (the config's `batches.window`),
   * paused and resumed by a {@link BatchWindowGate} with these options. Absent: at any time.
   */
  batchWindow?: BatchWindowGateOptions & { window: DailyWindow };
}

export interface RunningTierWorker {
  tier: string;
  jobClass: JobClass;
  worker: Worker;
}

/**
 * Starts one BullMQ worker per tier × class with the concurrency the config gives that pair, so
 * batch work can never occupy the slots reserved for interactive work. `connection` is shared for
 * ordinary commands (it must have `maxRetriesPerRequest: null`); BullMQ opens each worker's blocking
 * connection itself and closes it on `close()`.
 */
export function startTierWorkers(
  connection: RedisClient,
  deps: ProcessorDeps,
  options: TierWorkerOptions = {},
): RunningTierWorker[] {
  const processor = createJobProcessor(deps);
  const running: RunningTierWorker[] = [];
  const gate = options.batchWindow && new BatchWindowGate(options.batchWindow.window, options.batchWindow);
  for (const tier of deps.config.tiers) {
    if (options.tiers && !options.tiers.includes(tier.name)) continue;
    for (const jobClass of options.classes ?? JOB_CLASSES) {
      const concurrency = tier.concurrency[jobClass];
      if (concurrency === 0) continue;
      const gated = gate !== undefined && jobClass === "batch";
      const run = gated ? gate.guard(processor) : processor;
      const worker = new Worker(tierQueueName(tier.name, jobClass), run, {
        connection,
        // A gated worker is started (or left paused) by the gate, never before it looked at the window.
        autorun: !gated,
        prefix: deps.config.redis.keyPrefix,
        concurrency,
        // The lock is renewed every lockDuration/2 while a call is pending, so a long call is
        // never mistaken for a stalled job; a crashed worker's job is retried after ~lockDuration.
        lockDuration: options.lockDurationMs ?? 30_000,
        // Look for stalled jobs (a crashed worker's) as often as a lock can expire.
        stalledInterval: options.lockDurationMs ?? 30_000,
        maxStalledCount: 2,
        settings: { backoffStrategy: routerBackoffStrategy },
        // Lets the processor pause the queue (queue.rateLimit + RateLimitError) when every
        // deployment of the tier is cooling down; the limit itself never binds.
        limiter: { max: Number.MAX_SAFE_INTEGER, duration: 1_000 },
      });
      running.push({ tier: tier.name, jobClass, worker });
    }
  }
  gate?.start(running.filter((entry) => entry.jobClass === "batch").map((entry) => entry.worker));
  return running;
}

/** BullMQ asks this how long to wait before the next try: the processor already decided. */
export function routerBackoffStrategy(
  _attemptsMade: number,
  type?: string,
  error?: Error,
  _job?: unknown,
): number {
  if (type === ROUTER_BACKOFF && error instanceof RetryLaterError) return error.delayMs;
  // A crash or an unexpected throw: a short pause, then try again.
  return 1_000;
}

export async function closeTierWorkers(workers: readonly RunningTierWorker[]): Promise<void> {
  await Promise.all(workers.map(({ worker }) => worker.close()));
}

export type { Job };

/**
 * Aborts the provider call of a job the API cancelled, in whichever of `workers` runs it: BullMQ's
 * `cancelJob` aborts the processor's signal, which the call carries. Returns the unsubscribe.
 */
export function abortCancelledJobs(
  hub: JobEventHub,
  workers: readonly RunningTierWorker[],
  onAbort?: (jobId: string) => void,
): () => void {
  return hub.listenAll((notice) => {
    if (notice.type !== "cancel") return;
    for (const { worker } of workers) {
      if (worker.cancelJob(`${notice.job_id}.${notice.hop}`, "cancelled by the client"))
        onAbort?.(notice.job_id);
    }
  });
}

/** The config's tiers that a class actually runs on, for start-up logs. */
export function describeWorkers(config: RouterConfig, workers: readonly RunningTierWorker[]): string[] {
  return workers.map(({ tier, jobClass }) => {
    const resolved = config.tiers.find((candidate) => candidate.name === tier);
    return `${tierQueueName(tier, jobClass)} × ${resolved?.concurrency[jobClass] ?? "?"}`;
  });
}
