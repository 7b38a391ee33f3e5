import { createHmac } from "node:crypto";
import type { PublicBatch, RunningTierWorker } from "@llmr/core";
import {
  abortCancelledJobs,
  BatchStore,
  closeTierWorkers,
  createBatchNotifier,
  JobEventHub,
  JobEvents,
  JobStore,
  ProviderPool,
  RedisKeys,
  startTierWorkers,
  TierQueues,
} from "@llmr/core";
import type { RunningSimulator } from "@llmr/simulator";
import { startSimulator } from "@llmr/simulator";
import type { ReceivedHook, RedisFixture } from "@llmr/testing";
import { startWebhookReceiver } from "@llmr/testing";
import { createGuardedAgent, startDeliveryWorker, WebhookDeliveries, WebhookSecrets } from "@llmr/webhooks";
import { auth, KEY_A, startTestApi } from "./start-test-api.ts";

/**
 * The API, the tier workers (as the worker process wires them: batch counts, the batch.completed
 * notifier, cancel aborts) and a webhook delivery worker, in-process over real Redis, with the
 * simulator answering through the real SDKs and a receiver collecting webhooks.
 */
export async function startBatchTestStack(
  redis: RedisFixture,
  options: { batches?: Record<string, unknown> } = {},
) {
  const simulator: RunningSimulator = await startSimulator({ port: 0, latencyScale: 0 });
  const receiver = await startWebhookReceiver();
  const api = await startTestApi({
    redisUrl: redis.url,
    keyPrefix: redis.prefix,
    simulatorUrl: simulator.url,
    webhooks: { allow_private_targets: true, timeout_ms: 2_000, schedule_scale: 0.0001 },
    ...(options.batches ? { batches: options.batches } : {}),
  });

  const connection = redis.connect();
  const keys = new RedisKeys(api.config.redis.keyPrefix);
  const queues = new TierQueues(connection, api.config);
  const deliveries = new WebhookDeliveries(connection, {
    prefix: api.config.redis.keyPrefix,
    scheduleScale: 0.0001,
  });
  const batches = new BatchStore(connection, keys, { window: api.config.batches.window });
  const notify = createBatchNotifier(batches, (delivery) => deliveries.enqueueDelivery(delivery));
  const store = new JobStore(connection, keys, { retentionSeconds: 600, batches: { onFinished: notify } });
  const hub = new JobEventHub(redis.connect(), keys.eventsChannel);
  await hub.start();
  const window = api.config.batches.window;
  const workers: RunningTierWorker[] = startTierWorkers(
    connection,
    {
      config: api.config,
      store,
      queues,
      events: new JobEvents(connection, keys, { retentionSeconds: 600 }),
      providers: new ProviderPool(api.config),
      onFinished: async (record) => {
        if (record.job.batch_id) await store.syncBatchItem(record.job.id);
      },
    },
    window ? { batchWindow: { window } } : {},
  );
  const stopAborts = abortCancelledJobs(hub, workers);
  const agent = createGuardedAgent({ allowPrivate: true });
  const deliveryWorker = startDeliveryWorker(connection, {
    deliveries,
    secrets: new WebhookSecrets(connection, { prefix: api.config.redis.keyPrefix }),
    agent,
    timeoutMs: 2_000,
  });

  return {
    api,
    simulator,
    /** What the worker process has, for tests that play a worker's part (a batch's estimate watch). */
    worker: { connection, keys, batches },
    hooks: receiver.received,
    hookUrl: receiver.url,
    close: async () => {
      stopAborts();
      await deliveryWorker.close();
      await closeTierWorkers(workers);
      await Promise.all([queues.close(), deliveries.close(), hub.close(), agent.close()]);
      await api.close();
      await simulator.close();
      await receiver.close();
    },
  };
}

/** `POST /v1/batches` with a JSON body or NDJSON text. */
export async function postBatch(
  url: string,
  body: unknown,
  options: { ndjson?: boolean; key?: string } = {},
) {
  const res = await fetch(`${url}/v1/batches`, {
    method: "POST",
    headers: {
      ...auth(options.key ?? KEY_A),
      "content-type": options.ndjson ? "application/x-ndjson" : "application/json",
    },
    body: options.ndjson ? String(body) : JSON.stringify(body),
  });
  return {
    status: res.status,
    location: res.headers.get("location"),
    body: (await res.json()) as PublicBatch & ErrorBody,
  };
}

export interface ErrorBody {
  error?: { type: string; message: string; param?: string };
}

export async function getBatch(url: string, id: string, key = KEY_A) {
  const res = await fetch(`${url}/v1/batches/${id}`, { headers: auth(key) });
  return { status: res.status, body: (await res.json()) as PublicBatch & ErrorBody };
}

/** Polls the batch until `done` holds for it (the workers run meanwhile). */
export async function waitForBatch(
  url: string,
  id: string,
  done: (batch: PublicBatch) => boolean,
  timeoutMs = 15_000,
): Promise<PublicBatch> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { body } = await getBatch(url, id);
    if (done(body)) return body;
    if (Date.now() > deadline) throw new Error(`batch ${id} still ${JSON.stringify(body)}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** `GET /v1/batches/{id}/results`, one parsed object per line. */
export async function readResults(url: string, id: string, key = KEY_A) {
  const res = await fetch(`${url}/v1/batches/${id}/results`, { headers: auth(key) });
  const text = await res.text();
  const lines = res.ok ? text.split("\n").filter((line) => line !== "") : [];
  return {
    status: res.status,
    contentType: res.headers.get("content-type"),
    lines: lines.map((line) => JSON.parse(line) as Record<string, unknown>),
  };
}

/** Checks a Standard Webhooks signature with the key's secret, independently of the router's signer. */
export function signatureValid(hook: ReceivedHook, secret: string): boolean {
  const key = Buffer.from(secret.replace(/^whsec_/, ""), "base64");
  const signed = `${hook.headers["webhook-id"]}.${hook.headers["webhook-timestamp"]}.${hook.body}`;
  const expected = createHmac("sha256", key).update(signed).digest("base64");
  return (hook.headers["webhook-signature"] ?? "").split(" ").includes(`v1,${expected}`);
}
