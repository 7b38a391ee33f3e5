import type { RouterConfig } from "@llmr/config";
import type { Redis } from "ioredis";
import type { PublicJob } from "../src/job-record.ts";
import { JobRequestSchema } from "../src/job-request.ts";
import { JobStore } from "../src/job-store.ts";
import type { ProcessorDeps, ProcessorEvent } from "../src/process-job.ts";
import { ProviderPool } from "../src/provider-pool.ts";
import { RedisKeys } from "../src/redis-keys.ts";
import { createDispatchGates } from "../src/select-deployment.ts";
import { submitJob } from "../src/submit-job.ts";
import { TierQueues } from "../src/tier-queues.ts";
import { closeTierWorkers, startTierWorkers } from "../src/tier-workers.ts";

export interface TestRouter {
  config: RouterConfig;
  store: JobStore;
  queues: TierQueues;
  /** Every processor event so far, in order. */
  events: ProcessorEvent[];
  /** Submits a job as tenant-a; `finished` resolves with the job once the processor finishes it. */
  submit(body: unknown): Promise<{ queued: PublicJob; finished: Promise<PublicJob> }>;
  close(): Promise<void>;
}

/**
 * The router in-process for a test: store, tier queues and running tier workers on `connection`
 * (the config's key prefix keeps the test apart), with the shared gates when `gates` is on.
 */
export function startTestRouter(
  connection: Redis,
  config: RouterConfig,
  options: { gates?: boolean; deps?: Partial<ProcessorDeps> } = {},
): TestRouter {
  const store = new JobStore(connection, new RedisKeys(config.redis.keyPrefix), { retentionSeconds: 60 });
  const queues = new TierQueues(connection, config);
  const waiters = new Map<string, (job: PublicJob) => void>();
  const events: ProcessorEvent[] = [];
  const workers = startTierWorkers(connection, {
    config,
    store,
    queues,
    providers: new ProviderPool(config),
    ...(options.gates ? { gates: createDispatchGates(connection, config) } : {}),
    ...options.deps,
    onEvent: (event) => {
      events.push(event);
      if (event.type === "finished") waiters.get(event.jobId)?.(event.job);
    },
  });
  return {
    config,
    store,
    queues,
    events,
    submit: async (body) => {
      const record = await submitJob({ config, store, queues }, "tenant-a", JobRequestSchema.parse(body));
      const finished = new Promise<PublicJob>((resolve) => {
        // It may have finished already, before we got to wait for it.
        const done = events.find((event) => event.type === "finished" && event.jobId === record.job.id);
        if (done?.type === "finished") resolve(done.job);
        else waiters.set(record.job.id, resolve);
      });
      return { queued: record.job, finished };
    },
    close: async () => {
      await closeTierWorkers(workers);
      await queues.close();
    },
  };
}
