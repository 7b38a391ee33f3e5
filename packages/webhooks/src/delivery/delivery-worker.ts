import { Worker } from "bullmq";
import type { Cluster, Redis } from "ioredis";
import { RetryDeliveryLaterError } from "../errors/retry-delivery-later-error.ts";
import type { DeliveryProcessorDeps } from "./delivery-processor.ts";
import { createDeliveryProcessor } from "./delivery-processor.ts";
import { WEBHOOK_BACKOFF, WEBHOOK_QUEUE_NAME } from "./webhook-deliveries.ts";

/** Options of {@link startDeliveryWorker}. */
export interface DeliveryWorkerOptions {
  /**
   * Tries in flight at once per process. Tries mostly wait on receivers, so this can be high.
   * @defaultValue 16
   */
  concurrency?: number;
  /**
   * A try's lock; it must outlast the try's timeout so a slow receiver is not taken for a crash.
   * @defaultValue 30000
   */
  lockDurationMs?: number;
}

/**
 * Starts the BullMQ worker of the `{webhooks}` queue with the delivery processor and the schedule's
 * backoff. `connection` must have `maxRetriesPerRequest: null` (BullMQ's blocking commands need it).
 * Closing the worker leaves `deps.agent` open: the caller owns it.
 *
 * @example
 * ```ts
 * const agent = createGuardedAgent({ allowPrivate: config.webhooks.allowPrivateTargets });
 * const worker = startDeliveryWorker(redis, { deliveries, secrets, agent, onEvent: log });
 * // on shutdown: await worker.close(); await agent.close();
 * ```
 */
export function startDeliveryWorker(
  connection: Redis | Cluster,
  deps: DeliveryProcessorDeps,
  options: DeliveryWorkerOptions = {},
): Worker {
  const lockDurationMs = options.lockDurationMs ?? 30_000;
  return new Worker(WEBHOOK_QUEUE_NAME, createDeliveryProcessor(deps), {
    connection,
    prefix: deps.deliveries.queue.opts.prefix ?? "bull",
    concurrency: options.concurrency ?? 16,
    lockDuration: lockDurationMs,
    stalledInterval: lockDurationMs,
    settings: { backoffStrategy: deliveryBackoffStrategy },
  });
}

/** BullMQ asks this how long to wait before the next try: the processor already decided. */
export function deliveryBackoffStrategy(_attemptsMade: number, type?: string, error?: Error): number {
  if (type === WEBHOOK_BACKOFF && error instanceof RetryDeliveryLaterError) return error.delayMs;
  // A crash or a Redis error mid-try: a short pause, then the same try again.
  return 1_000;
}
