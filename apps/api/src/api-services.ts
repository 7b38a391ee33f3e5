import type { RouterConfig } from "@llmr/config";
import type { DispatchGates, RecoveredBatch, RedisClient } from "@llmr/core";
import {
  BatchCancelSweeps,
  BatchStore,
  createBatchNotifier,
  createDispatchGates,
  duplicateRedis,
  JobEventHub,
  JobEvents,
  JobStore,
  RedisKeys,
  startBatchRecovery,
  TierQueues,
} from "@llmr/core";
import { WebhookDeliveries, WebhookSecrets } from "@llmr/webhooks";

/** The Redis-backed parts the API's routes use, built once per process from the config. */
export interface ApiServices {
  store: JobStore;
  batches: BatchStore;
  events: JobEvents;
  hub: JobEventHub;
  queues: TierQueues;
  secrets: WebhookSecrets;
  deliveries: WebhookDeliveries;
  gates: DispatchGates;
  /** The background sweeps of batches cancelled through this process. */
  cancelSweeps: BatchCancelSweeps;
  /**
   * Closes the queues, the event subscription, the batch recovery and the cancel sweeps (handed to
   * the recovery of another process) — not `redis`, which the caller owns.
   */
  close(): Promise<void>;
}

/**
 * Wires the API's services on one Redis client. The event hub gets a connection of its own (a
 * subscribed connection can run nothing else), subscribed on first use. `onConnectionError`
 * receives the background connection errors of the queues and the subscriber, tagged with where
 * they came from (the Redis client reports the same outage already, so callers log them quietly).
 * Every API process also finishes what a dead one left of a batch it was storing or cancelling
 * (`onBatchRecovered`).
 */
export function createApiServices(
  redis: RedisClient,
  config: RouterConfig,
  onConnectionError: (error: Error, source: string) => void,
  onBatchRecovered: (batch: RecoveredBatch) => void = () => undefined,
): ApiServices {
  const keys = new RedisKeys(config.redis.keyPrefix);
  const retention = {
    retentionSeconds: config.jobs.retentionSeconds,
    eventsRetentionSeconds: config.jobs.eventsRetentionSeconds,
  };
  const subscriber = duplicateRedis(redis);
  subscriber.on("error", (error: Error) => onConnectionError(error, "event subscriber"));
  const hub = new JobEventHub(subscriber, keys.eventsChannel);
  const queues = new TierQueues(redis, config, {
    onError: (error, queue) => onConnectionError(error, queue),
  });
  const deliveries = new WebhookDeliveries(redis, {
    prefix: config.redis.keyPrefix,
    scheduleScale: config.webhooks.scheduleScale,
    onError: (error) => onConnectionError(error, "webhook queue"),
  });
  const batches = new BatchStore(redis, keys, { window: config.batches.window });
  const asError = (error: unknown) => (error instanceof Error ? error : new Error(String(error)));
  // A batch can finish here: its last items cancelled by a client.
  const store = new JobStore(redis, keys, {
    ...retention,
    batches: {
      onFinished: createBatchNotifier(batches, (delivery) => deliveries.enqueueDelivery(delivery)),
      onError: (error) => onConnectionError(asError(error), "batch counts"),
    },
  });
  const events = new JobEvents(redis, keys, retention);
  const cancelSweeps = new BatchCancelSweeps(
    { store, batches, queues, events },
    { onError: (error) => onConnectionError(asError(error), "batch cancel") },
  );
  const stopRecovery = startBatchRecovery(
    { config, store, batches, queues, events },
    {
      onRecovered: onBatchRecovered,
      onError: (error) => onConnectionError(asError(error), "batch recovery"),
    },
  );
  return {
    store,
    batches,
    events,
    hub,
    queues,
    secrets: new WebhookSecrets(redis, { prefix: config.redis.keyPrefix }),
    deliveries,
    gates: createDispatchGates(redis, config),
    cancelSweeps,
    close: async () => {
      stopRecovery();
      await cancelSweeps.close();
      await queues.close();
      await deliveries.close();
      await hub.close();
    },
  };
}
