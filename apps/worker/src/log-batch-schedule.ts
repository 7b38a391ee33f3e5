import type { BatchTrackEvent, BatchWindowEvent } from "@llmr/core";
import type { Logger } from "pino";

/**
 * Log lines of batch scheduling: the daily window pausing and resuming batch work, and a batch's
 * estimate crossing its complete_by (a warning when it goes off track, once however many workers
 * watch it; an info when it is back on track).
 */

export function logBatchWindowEvent(logger: Logger, event: BatchWindowEvent): void {
  if (event.type === "batch_window_closed") {
    logger.info(
      { queues: event.queues, opens_at: event.opensAt.toISOString() },
      `batch window closed: batch queues take no new jobs until ${event.opensAt.toISOString()} (calls running finish)`,
    );
  } else {
    logger.info(
      { queues: event.queues, closes_at: event.closesAt.toISOString() },
      `batch window open: batch queues take jobs until ${event.closesAt.toISOString()}`,
    );
  }
}

export function logBatchTrackEvent(logger: Logger, event: BatchTrackEvent): void {
  const { batch } = event;
  const { estimate } = batch;
  const fields = {
    batch_id: batch.id,
    remaining: estimate.remaining,
    items_per_minute: estimate.items_per_minute,
    estimated_finish_at: estimate.finish_at,
    complete_by: batch.complete_by,
    basis: estimate.basis,
  };
  const rate = estimate.items_per_minute === null ? "no rate yet" : `${estimate.items_per_minute} items/min`;
  const finish = estimate.finish_at ?? "not within the windows ahead";
  if (event.type === "off_track") {
    const why =
      estimate.basis === "no_time_left"
        ? "no batch window time is left before complete_by"
        : `at ${rate} the rest is done at ${finish}`;
    logger.warn(
      fields,
      `batch ${batch.id} will not finish by complete_by ${batch.complete_by}: ${estimate.remaining} items left; ${why}`,
    );
  } else {
    logger.info(
      fields,
      `batch ${batch.id} is back on track: ${estimate.remaining} items left at ${rate}, done at ${finish} (complete_by ${batch.complete_by})`,
    );
  }
}
