import { randomBytes } from "node:crypto";
import { traceMetadata } from "@llmr/tracing";
import type { JobsOptions } from "bullmq";
import { Queue } from "bullmq";
import type { Cluster, Redis } from "ioredis";
import { DeliveryInFlightError } from "../errors/delivery-in-flight-error.ts";
import { DeliveryNotFoundError } from "../errors/delivery-not-found-error.ts";
import { DELIVERY_ID_PATTERN, deliveryIdFor, newDeliveryId } from "./delivery-id.ts";
import type { Delivery, DeliveryJob, EnqueueDeliveryInput } from "./delivery-record.ts";
import { DeliveryJobSchema, EnqueueDeliverySchema } from "./delivery-record.ts";
import { DeliveryStore } from "./delivery-store.ts";
import { assertValidSchedule, DEFAULT_RETRY_SCHEDULE_MS, waitBeforeNextTryMs } from "./retry-schedule.ts";

/** The BullMQ queue of webhook deliveries (hash-tagged, like every queue of the router). */
export const WEBHOOK_QUEUE_NAME = "{webhooks}";
/** BullMQ's name for the backoff strategy the delivery worker registers. */
export const WEBHOOK_BACKOFF = "webhook-schedule";

/** Options of {@link WebhookDeliveries}. */
export interface WebhookDeliveriesOptions {
  /** Prefix of every key and of the BullMQ queue (the router's `redis.key_prefix`). */
  prefix: string;
  /**
   * When the tries happen, as offsets from the first try; its length is the number of tries.
   * @defaultValue {@link DEFAULT_RETRY_SCHEDULE_MS} (immediately, 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 14 h, 20 h, 24 h)
   */
  retryScheduleMs?: readonly number[];
  /**
   * Multiplies every wait of the schedule; tests compress a day into about a second with `1e-5`.
   * @defaultValue 1
   */
  scheduleScale?: number;
  /**
   * How long a job's delivery records stay readable after their last change, in seconds.
   * @defaultValue 604800 (7 days)
   */
  retentionSeconds?: number;
  /** Receives the queue's connection errors (without a listener BullMQ prints them to the console). */
  onError?: (error: Error) => void;
  /** The clock. @defaultValue `() => new Date()` */
  now?: () => Date;
}

/**
 * The producer side of webhook deliveries and their history: queues a delivery (a record plus a
 * BullMQ job in `{webhooks}`), lists a job's deliveries for its tenant, re-sends one. The tries
 * themselves are made by `createDeliveryProcessor` in the worker.
 *
 * @example
 * ```ts
 * const deliveries = new WebhookDeliveries(redis, { prefix: "llmr" });
 * const { id } = await deliveries.enqueueDelivery({ tenant, jobId, event: "job.succeeded", data: job, url });
 * await deliveries.listDeliveries(tenant, jobId); // [{ id, status: "pending", attempts: [] , … }]
 * ```
 */
export class WebhookDeliveries {
  readonly queue: Queue;
  readonly store: DeliveryStore;
  readonly scheduleMs: readonly number[];
  readonly scheduleScale: number;
  readonly #now: () => Date;

  constructor(connection: Redis | Cluster, options: WebhookDeliveriesOptions) {
    this.scheduleMs = options.retryScheduleMs ?? DEFAULT_RETRY_SCHEDULE_MS;
    assertValidSchedule(this.scheduleMs);
    this.scheduleScale = options.scheduleScale ?? 1;
    this.#now = options.now ?? (() => new Date());
    this.store = new DeliveryStore(connection, {
      prefix: options.prefix,
      retentionMs: (options.retentionSeconds ?? 7 * 86_400) * 1000,
    });
    this.queue = new Queue(WEBHOOK_QUEUE_NAME, { connection, prefix: options.prefix });
    const onError = options.onError;
    if (onError) this.queue.on("error", onError);
  }

  /**
   * Records a new delivery (`pending`, no tries yet) and queues its first try; resolves once both
   * are in Redis. The body (`{"type", "timestamp", "data"}`) is fixed now, so every try sends the
   * same bytes under the same `webhook-id`.
   *
   * @throws ZodError when the input is malformed (a programming error: the API validated the URL)
   */
  async enqueueDelivery(input: EnqueueDeliveryInput): Promise<Delivery> {
    const parsed = EnqueueDeliverySchema.parse(input);
    const now = this.#now();
    const id = parsed.idempotencyKey ? deliveryIdFor(parsed.idempotencyKey) : newDeliveryId(now.getTime());
    // The same event again (its producer retried after a crash): the delivery exists already.
    if (parsed.idempotencyKey && (await this.store.exists(parsed.jobId, id))) {
      return this.#found(await this.store.get(parsed.jobId, id), id);
    }
    const body = JSON.stringify({
      type: parsed.event,
      timestamp: (parsed.occurredAt ?? now).toISOString(),
      data: parsed.data,
    });
    const meta = {
      tenant: parsed.tenant,
      job_id: parsed.jobId,
      event: parsed.event,
      url: parsed.url,
      created_at: now.toISOString(),
    };
    await this.store.create(id, meta, body);
    await this.#queueTry({ tenant: parsed.tenant, job_id: parsed.jobId, delivery_id: id }, id, {
      attempts: this.scheduleMs.length,
    });
    return this.#found(await this.store.get(parsed.jobId, id), id);
  }

  /** The deliveries of a job, oldest first; another tenant's job has none (as does an unknown one). */
  async listDeliveries(tenant: string, jobId: string): Promise<Delivery[]> {
    const stored = await this.store.list(jobId);
    return stored.filter((entry) => entry.tenant === tenant).map((entry) => entry.delivery);
  }

  /** @throws DeliveryNotFoundError for an unknown delivery or another tenant's */
  async getDelivery(tenant: string, jobId: string, deliveryId: string): Promise<Delivery> {
    if (!DELIVERY_ID_PATTERN.test(deliveryId)) throw new DeliveryNotFoundError(deliveryId);
    const stored = await this.store.get(jobId, deliveryId);
    if (!stored || stored.tenant !== tenant) throw new DeliveryNotFoundError(deliveryId);
    return stored.delivery;
  }

  /**
   * Sends a finished delivery (failed, or succeeded and wanted again) once more: the same
   * `webhook-id` and body, a fresh timestamp and signature. One try, recorded after the others;
   * the delivery is `pending` until it is done.
   *
   * @throws DeliveryNotFoundError for an unknown delivery or another tenant's (404)
   * @throws DeliveryInFlightError while the delivery is still pending (409)
   */
  async retryDelivery(tenant: string, jobId: string, deliveryId: string): Promise<Delivery> {
    await this.getDelivery(tenant, jobId, deliveryId);
    const claimed = await this.store.claimRetry(jobId, deliveryId);
    if (claimed < 0) throw new DeliveryNotFoundError(deliveryId);
    if (claimed === 0) throw new DeliveryInFlightError(deliveryId);
    // A BullMQ job id is never reused: the first try's job may still be kept as completed.
    const jobKey = `${deliveryId}.retry-${randomBytes(6).toString("hex")}`;
    await this.#queueTry({ tenant, job_id: jobId, delivery_id: deliveryId }, jobKey, { attempts: 1 });
    return this.getDelivery(tenant, jobId, deliveryId);
  }

  /** The wait after try `triesDone` (1-based, of the schedule) before the next one. */
  waitBeforeNextTryMs(triesDone: number): number {
    return waitBeforeNextTryMs(this.scheduleMs, triesDone, this.scheduleScale);
  }

  async close(): Promise<void> {
    await this.queue.close();
  }

  async #queueTry(payload: DeliveryJob, jobKey: string, options: JobsOptions): Promise<void> {
    const data = DeliveryJobSchema.parse(payload);
    // The trace it was queued under (the job's run, or a re-send's request) goes with it, when traced.
    const metadata = traceMetadata();
    try {
      await this.queue.add("deliver", data, {
        ...options,
        ...(metadata ? { telemetry: { metadata } } : {}),
        jobId: jobKey,
        backoff: { type: WEBHOOK_BACKOFF },
        // The delivery record is the history; BullMQ's copies are only kept for the dashboard.
        removeOnComplete: { age: 3_600, count: 10_000 },
        removeOnFail: { age: 7 * 86_400 },
      });
    } catch (error) {
      // Never leave a record pending that nothing will ever try; best effort, Redis may be down.
      await this.store
        .fail(payload.job_id, payload.delivery_id, "could not be queued", this.#now().toISOString())
        .catch(() => undefined);
      throw error;
    }
  }

  #found(stored: { delivery: Delivery } | undefined, id: string): Delivery {
    if (!stored) throw new DeliveryNotFoundError(id);
    return stored.delivery;
  }
}
