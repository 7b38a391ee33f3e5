import type { DeliveryEvent } from "@llmr/webhooks";
import type { WorkerMetrics } from "./worker-metrics.ts";

const OUTCOME: Record<DeliveryEvent["type"], string> = {
  delivered: "delivered",
  failed_attempt: "failed_will_retry",
  gave_up: "gave_up",
};

/** Counts one webhook delivery try by event and outcome (never its URL, tenant or delivery id). */
export function observeDeliveryEvent(
  metrics: Pick<WorkerMetrics, "webhookDeliveries">,
  event: DeliveryEvent,
): void {
  metrics.webhookDeliveries.inc({ event: event.event, outcome: OUTCOME[event.type] });
}
