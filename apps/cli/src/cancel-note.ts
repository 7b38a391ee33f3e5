import type { BatchObject } from "./api-types.ts";

/**
 * What `llmr batch cancel` adds when the server answered before every item stopped (it cancels a
 * big batch's items in the background): how many are left and how to follow them. Undefined once
 * the batch is final, or for a batch that is not cancelled.
 *
 * @example
 * cancelNote(batch) // "cancel requested; 1234 items still stopping.\n  follow: llmr batch status batch_… --wait"
 */
export function cancelNote(batch: BatchObject): string | undefined {
  if (batch.status !== "cancelled" || batch.finished_at !== null) return undefined;
  const stopping = batch.counts.queued + batch.counts.running;
  if (stopping === 0) return undefined;
  const items = stopping === 1 ? "1 item" : `${stopping} items`;
  return `cancel requested; ${items} still stopping.\n  follow: llmr batch status ${batch.id} --wait`;
}
