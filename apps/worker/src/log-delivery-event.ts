import type { DeliveryEvent } from "@llmr/webhooks";
import type { Logger } from "./logger.ts";

/** One log line per webhook delivery try; the URL's origin only (paths often carry tokens). */
export function logDeliveryEvent(logger: Logger, event: DeliveryEvent): void {
  const fields = {
    job_id: event.jobId,
    tenant: event.tenant,
    delivery_id: event.deliveryId,
    event: event.event,
    origin: event.origin,
    try: event.attempt.n,
    status_code: event.attempt.status_code,
    duration_ms: event.attempt.duration_ms,
  };
  switch (event.type) {
    case "delivered":
      logger.info(fields, "webhook delivered");
      return;
    case "failed_attempt":
      logger.warn(
        { ...fields, retry_in_ms: event.retryInMs, error: event.attempt.error },
        "webhook try failed",
      );
      return;
    case "gave_up":
      logger.error({ ...fields, reason: event.reason }, `webhook delivery failed: ${event.reason}`);
      return;
  }
}
