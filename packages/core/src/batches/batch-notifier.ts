import type { PublicBatch } from "./batch-object.ts";
import type { BatchStore } from "./batch-store.ts";

/** A `batch.completed` webhook to queue (what `WebhookDeliveries.enqueueDelivery` takes). */
export interface BatchCompletedDelivery {
  tenant: string;
  /** The batch's id: its deliveries are kept under it. */
  jobId: string;
  event: "batch.completed";
  data: PublicBatch & Record<string, unknown>;
  url: string;
  occurredAt?: Date;
  /** One delivery (and one `webhook-id`) per batch, however often this runs. */
  idempotencyKey: string;
}

/**
 * What a process does when a batch finishes (`JobStore`'s `batches.onFinished`): queues its one
 * `batch.completed` webhook, when it has a webhook, then marks it sent. Idempotent: a second run
 * (a concurrent report, a crash before the mark) queues the same delivery, which the delivery
 * queue keeps once.
 */
export function createBatchNotifier(
  batches: BatchStore,
  send: (delivery: BatchCompletedDelivery) => Promise<unknown>,
): (batchId: string) => Promise<void> {
  return async (batchId) => {
    const meta = await batches.get(batchId);
    if (!meta?.finishedAt || meta.notified) return;
    if (meta.webhookUrl) {
      await send({
        tenant: meta.tenant,
        jobId: batchId,
        event: "batch.completed",
        data: { ...batches.toPublic(meta) },
        url: meta.webhookUrl,
        occurredAt: new Date(meta.finishedAt),
        idempotencyKey: `${batchId}:completed`,
      });
    }
    await batches.markNotified(batchId);
  };
}
