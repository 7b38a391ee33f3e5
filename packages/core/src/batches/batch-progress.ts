import { readFileSync } from "node:fs";
import type { Result } from "ioredis";
import type { JobRecord } from "../job-record.ts";
import type { RedisClient } from "../redis-connection.ts";
import type { RedisKeys } from "../redis-keys.ts";
import { COST_UNITS_PER_USD } from "./batch-store.ts";

const REPORT = readFileSync(new URL("../lua/report-batch-item-3.lua", import.meta.url), "utf8");

declare module "ioredis" {
  interface RedisCommander<Context> {
    llmrReportBatchItem(
      batchKey: string,
      statesKey: string,
      itemsKey: string,
      jobId: string,
      version: string,
      status: string,
      costUnits: string,
      now: string,
      retentionMs: string,
    ): Result<number, Context>;
  }
}

/** What a process does when a batch finishes. */
export interface BatchProgressOptions {
  /** How long a finished batch stays readable (the jobs' `retention_s`). */
  retentionSeconds: number;
  /**
   * Called when a report finds the batch finished and its `batch.completed` webhook not yet
   * queued, e.g. to queue it (then `BatchStore.markNotified`). May run more than once for a batch
   * (concurrent reports, a crash before the mark), so it must be idempotent. Awaited.
   */
  onFinished?: (batchId: string) => Promise<void>;
  /** Receives a report that failed (the job's own write stood); the app logs it. */
  onError?: (error: unknown, batchId: string) => void;
  /**
   * Told of every batch this process counted an item into, e.g. to watch its estimate. Called
   * synchronously on the hot path: keep it to remembering the id.
   */
  onReported?: (batchId: string) => void;
}

/**
 * Keeps a batch's counts and cost in step with its items' job records. The job store reports every
 * write that changed a batch item's status or cost, with the record's version, to one script on
 * the batch's keys (never the job's: they live in other slots), which is idempotent and
 * order-proof, and which finishes the batch exactly once.
 */
export class BatchProgress {
  readonly #redis: RedisClient;
  readonly #keys: RedisKeys;
  readonly #options: BatchProgressOptions;

  constructor(redis: RedisClient, keys: RedisKeys, options: BatchProgressOptions) {
    this.#redis = redis;
    this.#keys = keys;
    this.#options = options;
    redis.defineCommand("llmrReportBatchItem", { numberOfKeys: 3, lua: REPORT });
  }

  /**
   * Counts `record` (stored as `version`) into its batch. Never throws: a failed report goes to
   * `onError`; the counts catch up with the next report of the item (a worker re-running a
   * finished job, a results read), since every report carries the item's whole state.
   */
  async report(record: JobRecord, version: number): Promise<void> {
    const batchId = record.job.batch_id;
    if (!batchId) return;
    try {
      const keys = this.#keys;
      const unnoticed = await this.#redis.llmrReportBatchItem(
        keys.batch(batchId),
        keys.batchItemStates(batchId),
        keys.batchItems(batchId),
        record.job.id,
        String(version),
        record.job.status,
        String(Math.round(record.job.cost_usd * COST_UNITS_PER_USD)),
        new Date().toISOString(),
        String(this.#options.retentionSeconds * 1000),
      );
      this.#options.onReported?.(batchId);
      if (unnoticed === 1) await this.#options.onFinished?.(batchId);
    } catch (error) {
      this.#options.onError?.(error, batchId);
    }
  }
}
