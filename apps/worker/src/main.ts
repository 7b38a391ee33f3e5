import { credentialsFromEnv, KeyRing } from "@llmr/auth";
import { ConfigError, describeConfig, loadConfig } from "@llmr/config";
import type { JobRecord } from "@llmr/core";
import {
  abortCancelledJobs,
  assertNoEviction,
  BatchStore,
  BatchTrackMonitor,
  closeTierWorkers,
  createBatchNotifier,
  createDispatchGates,
  createRedis,
  describeWorkers,
  duplicateRedis,
  JobEventHub,
  JobEvents,
  JobStore,
  ProviderPool,
  RedisKeys,
  startTierWorkers,
  TierQueues,
} from "@llmr/core";
import { createProcessorEventObserver, createWorkerRegistry, observeDeliveryEvent } from "@llmr/metrics";
import { createCheckRegistry } from "@llmr/routing";
import { startTracing } from "@llmr/tracing";
import { createGuardedAgent, startDeliveryWorker, WebhookDeliveries, WebhookSecrets } from "@llmr/webhooks";
import { Env } from "./env.ts";
import { startWorkerHttpServer } from "./http-server.ts";
import { logBatchTrackEvent, logBatchWindowEvent } from "./log-batch-schedule.ts";
import { logDeliveryEvent } from "./log-delivery-event.ts";
import { logProcessorEvent } from "./log-processor-event.ts";
import { createLogger } from "./logger.ts";
import { WorkerReadiness } from "./worker-readiness.ts";

/** After the grace period and the aborts, this long to hand the jobs back before giving up. */
const SHUTDOWN_FORCE_AFTER_MS = 15_000;

const env = Env.parse(process.env);
// Before any job runs; without an OTLP endpoint this loads nothing and every span is a no-op.
const tracing = await startTracing({ serviceName: "llmr-worker", env });
const logger = createLogger(env.LOG_LEVEL, "worker", { traceFields: tracing.enabled });
if (tracing.enabled) logger.info(`tracing: spans go to ${tracing.endpoint}`);

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

// The HTTP server (health and metrics, on WORKER_METRICS_PORT when set) listens before Redis is
// reached: /healthz then answers while the worker waits for Redis, so a liveness probe does not
// restart a worker that a restart cannot help; /readyz says "starting" until the workers run.
const { registry, metrics } = createWorkerRegistry();
const readiness = new WorkerReadiness();
let httpServer: Awaited<ReturnType<typeof startWorkerHttpServer>> | undefined;
if (env.WORKER_METRICS_PORT !== undefined) {
  const operators = new KeyRing([
    ...config.auth.operatorTokens,
    ...credentialsFromEnv(env.LLMR_OPERATOR_TOKEN, "operator"),
  ]);
  if (operators.size === 0)
    logger.warn("no operator credential (LLMR_OPERATOR_TOKEN): /metrics answers 401 to every scrape");
  httpServer = await startWorkerHttpServer({
    source: registry,
    operators,
    readiness: () => readiness.check(),
    host: env.WORKER_METRICS_HOST,
    port: env.WORKER_METRICS_PORT,
  });
  logger.info(`HTTP server on ${httpServer.url}: /healthz, /readyz, /metrics`);
}

const redis = createRedis(env.REDIS_CLUSTER_NODES ?? env.REDIS_URL, "worker");
redis.on("error", (error) => logger.warn({ err: error }, "redis connection error"));
try {
  await assertNoEviction(redis);
} catch (error) {
  // Said plainly on stderr, like a config error: this is an operator's set-up problem, not a crash.
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
}

// Metrics: this process's own counts, served on WORKER_METRICS_PORT when it is set.
const countProcessorEvent = createProcessorEventObserver(metrics, config);

const keys = new RedisKeys(config.redis.keyPrefix);
const batches = new BatchStore(redis, keys, { window: config.batches.window });
// Batches this worker runs items of are looked at every 15 s: off track → one warning (cluster-wide).
const batchTracks = new BatchTrackMonitor(redis, keys, batches, {
  onEvent: (event) => logBatchTrackEvent(logger, event),
  onError: (error, batchId) => logger.warn({ err: error, batch_id: batchId }, "batch estimate not checked"),
});
const store = new JobStore(redis, keys, {
  retentionSeconds: config.jobs.retentionSeconds,
  eventsRetentionSeconds: config.jobs.eventsRetentionSeconds,
  // A batch finishes where its last item does, usually here: its batch.completed webhook is queued then.
  batches: {
    onFinished: (batchId) => notifyBatchFinished(batchId),
    onError: (error, batchId) => logger.warn({ err: error, batch_id: batchId }, "batch counts not updated"),
    onReported: (batchId) => batchTracks.watch(batchId),
  },
});
const events = new JobEvents(redis, keys, {
  retentionSeconds: config.jobs.retentionSeconds,
  eventsRetentionSeconds: config.jobs.eventsRetentionSeconds,
});
const queues = new TierQueues(redis, config, {
  onError: (error, queue) => logger.warn({ err: error, queue }, "queue connection error"),
});
// Webhooks: finished jobs with a webhook URL get a signed delivery, sent by this process's delivery
// worker through an agent that refuses private addresses at connect time (DNS rebinding).
const secrets = new WebhookSecrets(redis, { prefix: config.redis.keyPrefix });
const deliveries = new WebhookDeliveries(redis, {
  prefix: config.redis.keyPrefix,
  scheduleScale: config.webhooks.scheduleScale,
  onError: (error) => logger.warn({ err: error }, "webhook queue connection error"),
});
const agent = createGuardedAgent({ allowPrivate: config.webhooks.allowPrivateTargets });

// Signals are caught before the first job can be taken: a SIGTERM during start-up (a rollout that
// changes its mind) must drain like any other, not let Node's default handler kill calls mid-way.
// It is held until the drain below can run, which is once start-up is done.
let drainReady = false;
let heldSignal: string | undefined;
const onSignal = (signal: string) => {
  // Not ready from this moment, even while start-up finishes: the drain is coming.
  readiness.draining(signal);
  if (drainReady) void shutdown(signal);
  else heldSignal ??= signal;
};
process.on("SIGINT", () => onSignal("SIGINT"));
process.on("SIGTERM", () => onSignal("SIGTERM"));

const deliveryWorker = startDeliveryWorker(redis, {
  deliveries,
  secrets,
  agent,
  timeoutMs: config.webhooks.timeoutMs,
  onEvent: (event) => {
    logDeliveryEvent(logger, event);
    observeDeliveryEvent(metrics, event);
  },
});
const notifyBatchFinished = createBatchNotifier(batches, (delivery) => deliveries.enqueueDelivery(delivery));
const notifyFinished = async (record: JobRecord) => {
  // Run again after a crash, this also counts a batch item whose count the crash cut off.
  if (record.job.batch_id) await store.syncBatchItem(record.job.id);
  const url = record.request.webhook_url;
  if (!url) return;
  await deliveries.enqueueDelivery({
    tenant: record.tenant,
    jobId: record.job.id,
    event: record.job.status === "succeeded" ? "job.succeeded" : "job.failed",
    data: { ...record.job },
    url,
    // One delivery per job event, however often this runs (a worker crash makes it run again).
    idempotencyKey: `${record.job.id}:${record.job.status}`,
    ...(record.job.finished_at ? { occurredAt: new Date(record.job.finished_at) } : {}),
  });
};

const failpoint = env.LLMR_FAILPOINT;
const workers = startTierWorkers(
  redis,
  {
    config,
    store,
    queues,
    events,
    gates: createDispatchGates(redis, config),
    onFinished: notifyFinished,
    // An item of a cancelled batch is not called, even before the cancel reaches it.
    batches,
    isShuttingDown: () => aborting,
    providers: new ProviderPool(config),
    onEvent: (event) => {
      logProcessorEvent(logger, event);
      countProcessorEvent(event);
    },
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
    // Outside the config's daily window the batch queues take nothing; interactive ones are never held.
    ...(config.batches.window
      ? {
          batchWindow: {
            window: config.batches.window,
            onEvent: (event) => {
              logBatchWindowEvent(logger, event);
              metrics.batchWindowOpen.set(event.type === "batch_window_opened" ? 1 : 0);
            },
            onError: (error, worker) => logger.error({ err: error, queue: worker.name }, "worker error"),
          },
        }
      : {}),
  },
);
if (!config.batches.window) metrics.batchWindowOpen.set(1);
batchTracks.start();
for (const { worker } of workers) {
  worker.on("error", (error) => logger.error({ err: error, queue: worker.name }, "worker error"));
}
logger.info(`workers running: ${describeWorkers(config, workers).join(", ")}`);

// A cancelled job's call is aborted by whichever worker runs it (BullMQ's cancelJob aborts the
// processor's signal, which the provider call carries).
const hub = new JobEventHub(duplicateRedis(redis), keys.eventsChannel);
await hub.start();
abortCancelledJobs(hub, workers, (jobId) => logger.info({ job_id: jobId }, "cancelling the running call"));

let stopping = false;
let aborting = false;
/**
 * SIGTERM drains: no new jobs; calls in flight get `WORKER_SHUTDOWN_GRACE_MS` to finish (their
 * answers are paid for); the calls still running then are aborted and their jobs go back to the
 * queue for another worker, with the cut-off attempt recorded. Exit 0 once that is done.
 */
async function shutdown(signal: string): Promise<void> {
  if (stopping) return;
  stopping = true;
  logger.info(`${signal}: no new jobs; calls in flight get ${env.WORKER_SHUTDOWN_GRACE_MS} ms to finish`);
  const abortRest = setTimeout(() => {
    aborting = true;
    logger.warn("grace period over: aborting the calls still running; their jobs go back to the queue");
    for (const { worker } of workers) worker.cancelAllJobs("the worker is shutting down");
  }, env.WORKER_SHUTDOWN_GRACE_MS);
  // Last resort if Redis cannot be reached to hand the jobs back: BullMQ's stall check will.
  const force = setTimeout(() => {
    logger.error("could not stop cleanly; exiting (BullMQ will retry the jobs still held)");
    process.exit(1);
  }, env.WORKER_SHUTDOWN_GRACE_MS + SHUTDOWN_FORCE_AFTER_MS).unref();
  await closeTierWorkers(workers);
  clearTimeout(abortRest);
  await batchTracks.stop();
  // Open until the calls are done: probes and scrapes still see the drain.
  httpServer?.server.closeAllConnections();
  httpServer?.server.close();
  await deliveryWorker.close();
  await deliveries.close();
  await agent.close();
  await hub.close();
  await queues.close();
  redis.disconnect();
  // The drained jobs' last spans are sent before the exit.
  await tracing.shutdown().catch(() => undefined);
  clearTimeout(force);
  logger.info("stopped");
  process.exit(0);
}
drainReady = true;
readiness.running({ redis, workers });
if (heldSignal) void shutdown(heldSignal);
