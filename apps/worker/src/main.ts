import { ConfigError, describeConfig, loadConfig } from "@llmr/config";
import {
  abortCancelledJobs,
  assertNoEviction,
  closeTierWorkers,
  createRedis,
  describeWorkers,
  JobEventHub,
  JobEvents,
  JobStore,
  ProviderPool,
  RedisKeys,
  startTierWorkers,
  TierQueues,
} from "@llmr/core";
import { createCheckRegistry } from "@llmr/routing";
import { Env } from "./env.ts";
import { logProcessorEvent } from "./log-processor-event.ts";
import { createLogger } from "./logger.ts";

const SHUTDOWN_GRACE_MS = 30_000;

const env = Env.parse(process.env);
const logger = createLogger(env.LOG_LEVEL, "worker");

let config: ReturnType<typeof loadConfig>;
try {
  config = loadConfig(env.ROUTER_CONFIG);
} catch (error) {
  if (error instanceof ConfigError) {
    process.stderr.write(`${error.message}\n`);
    process.exit(78); // EX_CONFIG
  }
  throw error;
}
for (const line of describeConfig(config)) logger.info(line);

// Custom quality checks are loaded now, so a missing or broken module stops the start, not a job.
try {
  await Promise.all([...config.tasks.values()].map((task) => createCheckRegistry(task.customChecks)));
} catch (error) {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(78); // EX_CONFIG
}

const redis = createRedis(env.REDIS_URL, "worker");
redis.on("error", (error) => logger.warn({ err: error }, "redis connection error"));
try {
  await assertNoEviction(redis);
} catch (error) {
  // Said plainly on stderr, like a config error: this is an operator's set-up problem, not a crash.
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
}

const keys = new RedisKeys(config.redis.keyPrefix);
const store = new JobStore(redis, keys, { retentionSeconds: config.jobs.retentionSeconds });
const events = new JobEvents(redis, keys, { retentionSeconds: config.jobs.retentionSeconds });
const queues = new TierQueues(redis, config, {
  onError: (error, queue) => logger.warn({ err: error, queue }, "queue connection error"),
});
const failpoint = env.LLMR_FAILPOINT;
const workers = startTierWorkers(
  redis,
  {
    config,
    store,
    queues,
    events,
    providers: new ProviderPool(config),
    onEvent: (event) => logProcessorEvent(logger, event),
    ...(failpoint
      ? {
          failpoint: (name) => {
            if (name !== failpoint) return;
            logger.warn(`failpoint ${name}: crashing on purpose (LLMR_FAILPOINT)`);
            process.kill(process.pid, "SIGKILL");
          },
        }
      : {}),
  },
  {
    ...(env.WORKER_TIERS ? { tiers: env.WORKER_TIERS } : {}),
    ...(env.WORKER_CLASSES ? { classes: env.WORKER_CLASSES } : {}),
    lockDurationMs: env.WORKER_LOCK_DURATION_MS,
  },
);
for (const { worker } of workers) {
  worker.on("error", (error) => logger.error({ err: error, queue: worker.name }, "worker error"));
}
logger.info(`workers running: ${describeWorkers(config, workers).join(", ")}`);

// A cancelled job's call is aborted by whichever worker runs it (BullMQ's cancelJob aborts the
// processor's signal, which the provider call carries).
const hub = new JobEventHub(redis.duplicate(), keys.eventsChannel);
await hub.start();
abortCancelledJobs(hub, workers, (jobId) => logger.info({ job_id: jobId }, "cancelling the running call"));

let stopping = false;
async function shutdown(signal: string): Promise<void> {
  if (stopping) return;
  stopping = true;
  // Let calls in flight finish (their answers are paid for); BullMQ stops taking new jobs.
  logger.info(`${signal}: finishing calls in flight, then stopping`);
  const force = setTimeout(() => {
    logger.warn("calls still in flight after the grace period: exiting; BullMQ will retry them");
    process.exit(1);
  }, SHUTDOWN_GRACE_MS).unref();
  await closeTierWorkers(workers);
  await hub.close();
  await queues.close();
  redis.disconnect();
  clearTimeout(force);
  process.exit(0);
}
process.on("SIGINT", () => void shutdown("SIGINT"));
process.on("SIGTERM", () => void shutdown("SIGTERM"));
