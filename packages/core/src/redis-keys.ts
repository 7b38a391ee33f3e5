import type { JobClass } from "@llmr/config";

/**
 * Every Redis key the router uses, in one place. Keys that a Lua script or MULTI touches together
 * share a hash tag (`{...}`), so the layout works unchanged on Redis Cluster:
 * - a job record lives under its own tag, `{job_…}`, so records spread over the cluster;
 * - each BullMQ queue gets its tag in its name (`{fast-interactive}`), which BullMQ needs on a cluster.
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
