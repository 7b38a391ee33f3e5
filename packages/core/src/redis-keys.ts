import type { JobClass } from "@llmr/config";

/**
 * Every Redis key the router uses, in one place. Keys that a Lua script or MULTI touches together
 * share a hash tag (`{...}`), so the layout works unchanged on Redis Cluster:
 * - a job record lives under its own tag, `{job_…}`, so records spread over the cluster;
 * - each BullMQ queue gets its tag in its name (`{fast-interactive}`), which BullMQ needs on a cluster;
 * - a batch's keys share its tag, `{batch_…}`; its items' job records keep their own, so no script
 *   ever touches a batch key and a job key together.
 */
export class RedisKeys {
  readonly prefix: string;

  constructor(prefix: string) {
    this.prefix = prefix;
  }

  /** The public job record (a hash: `v` version, `doc` JSON). */
  job(jobId: string): string {
    return `${this.prefix}:job:{${jobId}}`;
  }

  /** The job's event stream (same hash tag as its record). */
  jobEvents(jobId: string): string {
    return `${this.prefix}:job:{${jobId}}:events`;
  }

  /** The pub/sub channel announcing every job event (and cancellations) to API and worker processes. */
  get eventsChannel(): string {
    return `${this.prefix}:job-events`;
  }

  /** An idempotency key's record, per tenant. */
  idempotency(tenant: string, keyHash: string): string {
    return `${this.prefix}:idem:{${tenant}}:${keyHash}`;
  }

  /** A batch's header and live counts (a hash). */
  batch(batchId: string): string {
    return `${this.prefix}:batch:{${batchId}}`;
  }

  /** A batch's items in submission order (a list of `[custom_id, job_id, tier]` JSON arrays). */
  batchItems(batchId: string): string {
    return `${this.prefix}:batch:{${batchId}}:items`;
  }

  /** Each item's last counted state (a hash: job id → `version|status|cost_e10`). */
  batchItemStates(batchId: string): string {
    return `${this.prefix}:batch:{${batchId}}:states`;
  }

  /** The custom ids seen while a batch is staged (a hash: custom id → where it was first given). */
  batchCustomIds(batchId: string): string {
    return `${this.prefix}:batch:{${batchId}}:custom_ids`;
  }

  /** Batches being staged or enqueued (a sorted set: batch id → lease expiry in ms), for recovery. */
  get pendingBatches(): string {
    return `${this.prefix}:{batches}:pending`;
  }

  /**
   * Cancelled batches whose items are still being cancelled (a sorted set: batch id → lease expiry
   * in ms), so that another process finishes the pass when the cancelling one dies.
   */
  get cancellingBatches(): string {
    return `${this.prefix}:{batches}:cancelling`;
  }

  /** BullMQ's key prefix for our queues. */
  get bullPrefix(): string {
    return this.prefix;
  }
}

/**
 * Name of the BullMQ queue holding one tier's work of one class. Interactive and batch work never
 * share a queue, so each gets its own workers and concurrency and batch cannot take interactive slots.
 */
export function tierQueueName(tier: string, jobClass: JobClass): string {
  return `{${tier}-${jobClass}}`;
}
