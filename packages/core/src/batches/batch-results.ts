import { TERMINAL_STATUSES } from "../job-record.ts";
import type { JobStore } from "../job-store.ts";
import type { BatchResultLine, BatchResultsEnd } from "./batch-object.ts";
import type { BatchMeta, BatchStore } from "./batch-store.ts";
import { BATCH_CHUNK_ITEMS } from "./enqueue-batch.ts";

/**
 * A batch's results in item order, as far as they are finished: one line per item up to the first
 * that is not (a reader polls again later), then, only when every item is finished, the
 * `batch.results_end` line. Reads a chunk of items at a time and only when the consumer asks for
 * more, so a slow reader holds back the reads (backpressure) and no batch is read whole.
 *
 * Reading also heals the counts: an item whose final record was never counted into the batch
 * (its writer died in between) is counted now.
 */
export async function* batchResults(
  deps: { store: JobStore; batches: BatchStore },
  batch: BatchMeta,
): AsyncGenerator<BatchResultLine | BatchResultsEnd> {
  for (let start = 0; start < batch.counts.total; start += BATCH_CHUNK_ITEMS) {
    const items = await deps.batches.readItems(batch.id, start, BATCH_CHUNK_ITEMS);
    const [records, counted] = await Promise.all([
      Promise.all(items.map((item) => deps.store.get(item.jobId))),
      deps.batches.countedStates(
        batch.id,
        items.map((item) => item.jobId),
      ),
    ]);
    for (const [index, item] of items.entries()) {
      const stored = records[index];
      if (!stored) {
        // Past its retention (the batch outlives its first items by its own run time).
        yield {
          custom_id: item.customId,
          job_id: item.jobId,
          status: "failed",
          output_text: null,
          output_json: null,
          error: { type: "expired", message: "the item's job is past its retention; its result is gone" },
          cost_usd: 0,
        };
        continue;
      }
      const job = stored.record.job;
      if (!TERMINAL_STATUSES.has(job.status)) return;
      if ((counted[index]?.version ?? 0) < stored.version) await deps.store.syncBatchItem(job.id);
      yield {
        custom_id: item.customId,
        job_id: job.id,
        status: job.status,
        output_text: job.result?.output_text ?? null,
        output_json: job.result?.output_json ?? null,
        error: job.error,
        cost_usd: job.cost_usd,
      };
    }
  }
  const finished = (await deps.batches.get(batch.id)) ?? batch;
  const { status, counts, cost_usd } = deps.batches.toPublic(finished);
  yield { object: "batch.results_end", batch_id: batch.id, status, counts, cost_usd };
}
