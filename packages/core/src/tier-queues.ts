import type { JobClass, RouterConfig } from "@llmr/config";
import { JOB_CLASSES } from "@llmr/config";
import { inSpan, traceMetadata } from "@llmr/tracing";
import { SpanKind } from "@opentelemetry/api";
import type { Job, JobsOptions } from "bullmq";
import { Queue } from "bullmq";
import { z } from "zod";
import { tracer } from "./job-tracing.ts";
import type { RedisClient } from "./redis-connection.ts";
import { isCluster } from "./redis-connection.ts";
import { tierQueueName } from "./redis-keys.ts";

/** What a tier queue's BullMQ job carries: only a pointer to the job record (validated both ways). */
export const QueuePayloadSchema = z.strictObject({
  job_id: z.string().min(1),
  /** How many times the job has been queued (1 = first tier); part of the BullMQ job id. */
  hop: z.number().int().min(1),
});
export type QueuePayload = z.infer<typeof QueuePayloadSchema>;

/**
 * The BullMQ job a part's job reports to (map-reduce): the parent waits in `waiting-children`
 * until every part's job is done, and is taken up at once when one fails for good.
 */
export interface ParentJob {
  id: string;
  /** The parent's qualified queue name (`<prefix>:<queue>`, BullMQ's `job.queueQualifiedName`). */
  queue: string;
}

/** A part's BullMQ job reports to its parent: a later hop of the part must, too. */
export function parentOf(job: Job): ParentJob | undefined {
  return job.parent?.id ? { id: job.parent.id, queue: job.parent.queueKey } : undefined;
}

/** BullMQ's name for the backoff strategy the worker registers (see `routerBackoffStrategy`). */
export const ROUTER_BACKOFF = "router";

/** BullMQ job options shared by every tier queue. */
export function tierJobOptions(config: RouterConfig): JobsOptions {
  return {
    // Retries (with fallback to the next deployment) are BullMQ attempts, so a crash mid-call is
    // retried too; the processor decides each delay (RetryLaterError) through the custom backoff.
    attempts: config.jobs.maxAttempts,
    backoff: { type: ROUTER_BACKOFF },
    // The job record, not the BullMQ job, is the source of truth, so BullMQ's copies are trimmed.
    removeOnComplete: { age: 3_600, count: 10_000 },
    removeOnFail: { age: 7 * 24 * 3_600 },
  };
}

/** The producer side of every tier × class queue. */
export class TierQueues {
  readonly #queues = new Map<string, Queue>();
  readonly #jobOptions: JobsOptions;
  /**
   * BullMQ flows (a parent job waiting for children in other queues) need every queue in one hash
   * slot; on a Redis Cluster each queue has its own, so there map-reduce jobs poll their parts instead.
   */
  readonly usesFlows: boolean;

  /**
   * @param options.onError - receives the queues' connection errors (the app logs them; without a
   *   listener BullMQ prints them to the console). A failed `add` still rejects either way.
   */
  constructor(
    connection: RedisClient,
    config: RouterConfig,
    options: { onError?: (error: Error, queueName: string) => void } = {},
  ) {
    this.#jobOptions = tierJobOptions(config);
    this.usesFlows = !isCluster(connection);
    for (const tier of config.tiers) {
      for (const jobClass of JOB_CLASSES) {
        const name = tierQueueName(tier.name, jobClass);
        const queue = new Queue(name, { connection, prefix: config.redis.keyPrefix });
        const onError = options.onError;
        if (onError) queue.on("error", (error) => onError(error, name));
        this.#queues.set(name, queue);
      }
    }
  }

  /**
   * Enqueues the job record `jobId` on `tier`'s queue for `jobClass`; resolves once Redis has it.
   * When traced, the BullMQ job carries the trace context (`opts.telemetry.metadata`, which BullMQ
   * stores with the job), so the runs of this hop, retries included, continue the same trace.
   */
  async add(tier: string, jobClass: JobClass, payload: QueuePayload, parent?: ParentJob): Promise<void> {
    await this.addAll(tier, jobClass, [payload], parent);
  }

  /**
   * Enqueues several job records on one queue in one step (BullMQ's `addBulk`, a single Redis
   * transaction). With `parent`, each becomes a child of that BullMQ job (map-reduce parts; not on
   * a Redis Cluster, see {@link TierQueues.usesFlows}); a
   * payload whose BullMQ job exists already is left as it is, so a retried step adds nothing twice.
   */
  async addAll(
    tier: string,
    jobClass: JobClass,
    payloads: QueuePayload[],
    parent?: ParentJob,
  ): Promise<void> {
    const queue = this.get(tier, jobClass);
    const first = payloads[0];
    if (!first) return;
    const attributes = {
      "messaging.system": "bullmq",
      "messaging.destination.name": queue.name,
      "llmr.job.id": first.job_id,
      "llmr.hop": first.hop,
      ...(payloads.length > 1 ? { "messaging.batch.message_count": payloads.length } : {}),
    };
    await inSpan(tracer, "llmr.enqueue", { kind: SpanKind.PRODUCER, attributes }, async () => {
      const metadata = traceMetadata();
      const options: JobsOptions = {
        ...this.#jobOptions,
        ...(metadata ? { telemetry: { metadata } } : {}),
        ...(parent && this.usesFlows ? { parent, continueParentOnFailure: true } : {}),
      };
      const jobs = payloads.map((payload) => ({
        name: tier,
        data: QueuePayloadSchema.parse(payload),
        opts: { ...options, jobId: `${payload.job_id}.${payload.hop}` },
      }));
      if (jobs.length === 1 && jobs[0]) await queue.add(jobs[0].name, jobs[0].data, jobs[0].opts);
      else await queue.addBulk(jobs);
    });
  }

  get(tier: string, jobClass: JobClass): Queue {
    const queue = this.#queues.get(tierQueueName(tier, jobClass));
    if (!queue) throw new Error(`no queue for tier "${tier}" (${jobClass})`);
    return queue;
  }

  all(): Queue[] {
    return [...this.#queues.values()];
  }

  async close(): Promise<void> {
    await Promise.all(this.all().map((queue) => queue.close()));
  }
}
