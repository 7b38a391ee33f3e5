import { readFileSync } from "node:fs";
import type { Cluster, Redis, Result } from "ioredis";
import type { Delivery, DeliveryAttempt, DeliveryStatus, WebhookEvent } from "./delivery-record.ts";

const CLAIM_SCRIPT = readFileSync(new URL("../lua/claim-retry-1.lua", import.meta.url), "utf8");

declare module "ioredis" {
  interface RedisCommander<Context> {
    llmrClaimDeliveryRetry(key: string, deliveryId: string, ttlMs: string): Result<number, Context>;
  }
}

/** What a delivery record holds besides its tries and status. */
export interface DeliveryMeta {
  tenant: string;
  job_id: string;
  event: WebhookEvent;
  url: string;
  created_at: string;
}

/** A delivery as the processor needs it: the public object plus the tenant and the exact body. */
export interface StoredDelivery {
  tenant: string;
  body: string;
  delivery: Delivery;
}

/**
 * The delivery records of each job: one hash per job at `${prefix}:whdel:{${jobId}}`, so listing a
 * job's deliveries is one read. Each delivery is a few fields that are only ever set, never read,
 * modified and written back (`m:` meta, `b:` body, `s:` status, `r:` reason, `f:` finished at,
 * `n:` try counter, `a:<id>:<n>` one per try), so the processor and the API never lose each
 * other's writes. The hash expires `retentionMs` after its last write.
 */
export class DeliveryStore {
  readonly #redis: Redis | Cluster;
  readonly #prefix: string;
  readonly #retentionMs: number;

  constructor(redis: Redis | Cluster, options: { prefix: string; retentionMs: number }) {
    this.#redis = redis;
    this.#prefix = options.prefix;
    this.#retentionMs = options.retentionMs;
    redis.defineCommand("llmrClaimDeliveryRetry", { numberOfKeys: 1, lua: CLAIM_SCRIPT });
  }

  key(jobId: string): string {
    return `${this.#prefix}:whdel:{${jobId}}`;
  }

  /** True when the delivery already exists (an idempotent retry of the same event). */
  async exists(jobId: string, id: string): Promise<boolean> {
    return (await this.#redis.hexists(this.key(jobId), `m:${id}`)) === 1;
  }

  async create(id: string, meta: DeliveryMeta, body: string): Promise<void> {
    const key = this.key(meta.job_id);
    await this.#redis
      .multi()
      .hset(key, `m:${id}`, JSON.stringify(meta), `b:${id}`, body, `s:${id}`, "pending")
      .pexpire(key, this.#retentionMs)
      .exec()
      .then(throwOnFailedCommand);
  }

  /** Counts a new try and returns its number (1, 2, …), atomically. */
  async nextTry(jobId: string, id: string): Promise<number> {
    return this.#redis.hincrby(this.key(jobId), `n:${id}`, 1);
  }

  /** Stores one try and, when the delivery is over, its final status (with the reason for a failure). */
  async recordTry(
    jobId: string,
    id: string,
    attempt: DeliveryAttempt,
    outcome?: { status: Exclude<DeliveryStatus, "pending">; reason: string | null; at: string },
  ): Promise<void> {
    const key = this.key(jobId);
    const fields: string[] = [`a:${id}:${attempt.n}`, JSON.stringify(attempt)];
    if (outcome)
      fields.push(`s:${id}`, outcome.status, `r:${id}`, outcome.reason ?? "", `f:${id}`, outcome.at);
    await this.#redis
      .multi()
      .hset(key, ...fields)
      .pexpire(key, this.#retentionMs)
      .exec()
      .then(throwOnFailedCommand);
  }

  /** Ends a delivery without a try (e.g. it could not be queued). */
  async fail(jobId: string, id: string, reason: string, at: string): Promise<void> {
    await this.#redis.hset(this.key(jobId), `s:${id}`, "failed", `r:${id}`, reason, `f:${id}`, at);
  }

  /** 1 = put back to pending for a re-send, 0 = still pending, -1 = no such delivery. */
  async claimRetry(jobId: string, id: string): Promise<number> {
    return this.#redis.llmrClaimDeliveryRetry(this.key(jobId), id, String(this.#retentionMs));
  }

  /** Every delivery of a job (any tenant's; callers filter), oldest first. */
  async list(jobId: string): Promise<StoredDelivery[]> {
    const fields = await this.#redis.hgetall(this.key(jobId));
    const deliveries: StoredDelivery[] = [];
    for (const [field, value] of Object.entries(fields)) {
      if (!field.startsWith("m:")) continue;
      const id = field.slice(2);
      deliveries.push(assemble(id, JSON.parse(value) as DeliveryMeta, fields));
    }
    return deliveries.sort((a, b) => a.delivery.created_at.localeCompare(b.delivery.created_at));
  }

  async get(jobId: string, id: string): Promise<StoredDelivery | undefined> {
    return (await this.list(jobId)).find((stored) => stored.delivery.id === id);
  }
}

function assemble(id: string, meta: DeliveryMeta, fields: Record<string, string>): StoredDelivery {
  const attempts: DeliveryAttempt[] = [];
  const attemptPrefix = `a:${id}:`;
  for (const [field, value] of Object.entries(fields)) {
    if (field.startsWith(attemptPrefix)) attempts.push(JSON.parse(value) as DeliveryAttempt);
  }
  attempts.sort((a, b) => a.n - b.n);
  const reason = fields[`r:${id}`];
  return {
    tenant: meta.tenant,
    body: fields[`b:${id}`] ?? "",
    delivery: {
      id,
      object: "webhook_delivery",
      job_id: meta.job_id,
      event: meta.event,
      url: meta.url,
      status: (fields[`s:${id}`] ?? "pending") as DeliveryStatus,
      reason: reason === undefined || reason === "" ? null : reason,
      attempts,
      created_at: meta.created_at,
      finished_at: fields[`f:${id}`] ?? null,
    },
  };
}

/** MULTI resolves with per-command errors instead of rejecting: surface the first one. */
function throwOnFailedCommand(results: [Error | null, unknown][] | null): void {
  if (results === null) throw new Error("webhook delivery store: transaction aborted");
  for (const [error] of results) if (error) throw error;
}
