import { z } from "zod";

/** The events a webhook is sent for (the contract's `type`). */
export const WEBHOOK_EVENTS = ["job.succeeded", "job.failed", "batch.completed"] as const;
export type WebhookEvent = (typeof WEBHOOK_EVENTS)[number];

/** `pending` while tries remain; `succeeded` once a try got a 2xx; `failed` once there is no point in another. */
export type DeliveryStatus = "pending" | "succeeded" | "failed";

/** One HTTP try of a delivery, as `GET /v1/jobs/{id}/deliveries` shows it. */
export interface DeliveryAttempt {
  /** 1 for the first try; counts on across manual re-sends. */
  n: number;
  /** When the try was sent (ISO-8601 UTC). */
  at: string;
  /** The receiver's HTTP status; null when there was no answer. */
  status_code: number | null;
  /** Why the try failed without an answer (timeout, refused connection, blocked address); else null. */
  error: string | null;
  duration_ms: number;
  /** The first bytes of the answer (at most 256, control characters removed), for debugging. */
  response_body: string | null;
}

/** One webhook message to one URL, with every try: the public delivery object. */
export interface Delivery {
  /** `msg_…`: the `webhook-id` header of every try. */
  id: string;
  object: "webhook_delivery";
  /** The job (or batch) the event is about. */
  job_id: string;
  event: WebhookEvent;
  url: string;
  status: DeliveryStatus;
  /** Why it failed (`410 Gone`, the last error after the last try); null otherwise. */
  reason: string | null;
  attempts: DeliveryAttempt[];
  created_at: string;
  /** When it last succeeded or failed; null while pending. */
  finished_at: string | null;
}

/** What a delivery's BullMQ job carries: a pointer to its record (validated when queued and when run). */
export const DeliveryJobSchema = z.strictObject({
  tenant: z.string().min(1),
  job_id: z.string().min(1),
  delivery_id: z.string().regex(/^msg_[0-9a-z]+$/),
});
export type DeliveryJob = z.infer<typeof DeliveryJobSchema>;

/** What `enqueueDelivery` takes. */
export const EnqueueDeliverySchema = z.strictObject({
  /** The API key's name: whose secrets sign it and who may list it. */
  tenant: z.string().min(1),
  /** The job (or, for `batch.completed`, the batch) the event is about. */
  jobId: z.string().min(1),
  event: z.enum(WEBHOOK_EVENTS),
  /** The job or batch object, sent as `data`. */
  data: z.record(z.string(), z.unknown()),
  /** Checked with `checkWebhookUrl` when it was registered; checked again when dialled. */
  url: z.url({ protocol: /^https?$/ }),
  /** When the event happened: the body's `timestamp`. @defaultValue now */
  occurredAt: z.date().optional(),
  /**
   * Makes the call idempotent: the same key always means the same delivery (and `webhook-id`), so
   * a producer that retries after a crash cannot send an event twice. @defaultValue a new delivery
   */
  idempotencyKey: z.string().min(1).max(500).optional(),
});
export type EnqueueDeliveryInput = z.input<typeof EnqueueDeliverySchema>;
