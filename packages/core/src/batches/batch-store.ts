import { readFileSync } from "node:fs";
import type { DailyWindow } from "@llmr/daily-window";
import type { Result } from "ioredis";
import type { RedisClient } from "../redis-connection.ts";
import type { RedisKeys } from "../redis-keys.ts";
import type { BatchCounts, BatchStatus, PublicBatch } from "./batch-object.ts";
import { batchWindowView, estimateBatch } from "./batch-schedule.ts";

const lua = (name: string) => readFileSync(new URL(`../lua/${name}`, import.meta.url), "utf8");
const CLAIM_CUSTOM_IDS = lua("claim-custom-ids-1.lua");
const COMMIT = lua("commit-batch-2.lua");
const CANCEL = lua("cancel-batch-1.lua");
const CLAIM_LEASES = lua("claim-batch-leases-1.lua");
/** Costs are counted in Redis as whole 1e-10 USD, the precision every job's cost is rounded to. */
export const COST_UNITS_PER_USD = 1e10;

declare module "ioredis" {
  interface RedisCommander<Context> {
    llmrClaimCustomIds(key: string, ...pairs: string[]): Result<Array<number | string>, Context>;
    llmrCommitBatch(batchKey: string, customIdsKey: string, total: string): Result<number, Context>;
    llmrCancelBatch(batchKey: string, now: string): Result<string, Context>;
    llmrClaimBatchLeases(key: string, nowMs: string, leaseMs: string, max: string): Result<string[], Context>;
  }
}

/**
 * `staging` while the items are being written (invisible: `GET` answers 404, and a batch left
 * staging by a crash is deleted by the recovery); `committing` once every item was valid and
 * stored (visible; the items are being queued); `ready` once all are queued.
 */
export type BatchState = "staging" | "committing" | "ready";

/**
 * The work a lease stands for: `pending`, staging or queueing the items (see `enqueueBatch`);
 * `cancelling`, cancelling the items of a cancelled batch (see `sweepBatchCancel`).
 */
export type BatchLeaseKind = "pending" | "cancelling";

/** A batch's header as stored, with its live counts. */
export interface BatchMeta {
  id: string;
  tenant: string;
  state: BatchState;
  status: BatchStatus;
  counts: BatchCounts;
  costUnits: number;
  createdAt: string;
  finishedAt: string | null;
  /** When the first item started running (the estimate's rate counts from here). */
  startedAt: string | null;
  notBefore: string | null;
  completeBy: string | null;
  webhookUrl: string | null;
  /** How many items (from the first) are queued in BullMQ. */
  enqueued: number;
  /** The `batch.completed` webhook is queued (or there is none to send). */
  notified: boolean;
  /** When the batch was first asked to cancel; null: never. */
  cancelRequestedAt: string | null;
  /** How many items (from the first) the cancel's sweep has been through. */
  cancelSwept: number;
}

/** One item as the batch lists it: where its job is, in submission order. */
export interface BatchItemEntry {
  customId: string;
  jobId: string;
  /** The tier its job starts on (where it is queued). */
  tier: string;
}

/** Options of {@link BatchStore}. */
export interface BatchStoreOptions {
  /** The config's `batches.window`, shown in batch objects and counted in their estimates. */
  window?: DailyWindow;
  /** The clock of the estimates. @defaultValue `() => new Date()` */
  now?: () => Date;
}

/**
 * A batch's keys, all under the batch's own hash tag: the header and counts, the items in order,
 * each item's last counted state, and (while staging) the custom ids seen. Item counts are kept
 * by `BatchProgress` as the items' job records change.
 */
export class BatchStore {
  readonly #redis: RedisClient;
  readonly #keys: RedisKeys;
  readonly #view: Required<Pick<BatchStoreOptions, "now">> & Pick<BatchStoreOptions, "window">;

  constructor(redis: RedisClient, keys: RedisKeys, options: BatchStoreOptions = {}) {
    this.#redis = redis;
    this.#keys = keys;
    this.#view = { window: options.window, now: options.now ?? (() => new Date()) };
    redis.defineCommand("llmrClaimCustomIds", { numberOfKeys: 1, lua: CLAIM_CUSTOM_IDS });
    redis.defineCommand("llmrCommitBatch", { numberOfKeys: 2, lua: COMMIT });
    redis.defineCommand("llmrCancelBatch", { numberOfKeys: 1, lua: CANCEL });
    redis.defineCommand("llmrClaimBatchLeases", { numberOfKeys: 1, lua: CLAIM_LEASES });
  }

  /** Starts staging a batch, leased to the caller for `leaseMs` (renew it while staging). */
  async stage(
    batch: Pick<BatchMeta, "id" | "tenant" | "createdAt" | "notBefore" | "completeBy" | "webhookUrl">,
    leaseMs: number,
  ): Promise<void> {
    // The lease first: a crash right after it leaves a lease without a batch, which recovery drops.
    await this.#redis.zadd(this.#keys.pendingBatches, Date.now() + leaseMs, batch.id);
    await this.#redis.hset(this.#keys.batch(batch.id), {
      tenant: batch.tenant,
      state: "staging",
      status: "queued",
      created_at: batch.createdAt,
      ...(batch.notBefore ? { not_before: batch.notBefore } : {}),
      ...(batch.completeBy ? { complete_by: batch.completeBy } : {}),
      ...(batch.webhookUrl ? { webhook_url: batch.webhookUrl } : {}),
    });
  }

  async renewLease(batchId: string, leaseMs: number, kind: BatchLeaseKind = "pending"): Promise<void> {
    await this.#redis.zadd(this.#leases(kind), "XX", Date.now() + leaseMs, batchId);
  }

  /** Leases of crashed stagers or enqueuers (or cancellers), now leased to the caller for `leaseMs`. */
  async claimExpiredLeases(
    leaseMs: number,
    max: number,
    kind: BatchLeaseKind = "pending",
  ): Promise<string[]> {
    return this.#redis.llmrClaimBatchLeases(
      this.#leases(kind),
      String(Date.now()),
      String(leaseMs),
      String(max),
    );
  }

  async appendItems(batchId: string, items: readonly BatchItemEntry[]): Promise<void> {
    if (items.length === 0) return;
    const rows = items.map((item) => JSON.stringify([item.customId, item.jobId, item.tier]));
    await this.#redis.rpush(this.#keys.batchItems(batchId), ...rows);
  }

  /** Records custom ids (with where each is given); resolves with those seen earlier in the batch. */
  async claimCustomIds(
    batchId: string,
    ids: ReadonlyArray<{ customId: string; where: string }>,
  ): Promise<Array<{ index: number; firstAt: string }>> {
    if (ids.length === 0) return [];
    const flat = await this.#redis.llmrClaimCustomIds(
      this.#keys.batchCustomIds(batchId),
      ...ids.flatMap((id) => [id.customId, id.where]),
    );
    const duplicates: Array<{ index: number; firstAt: string }> = [];
    for (let i = 0; i < flat.length; i += 2) {
      duplicates.push({ index: Number(flat[i]), firstAt: String(flat[i + 1]) });
    }
    return duplicates;
  }

  /** Makes a staged batch of `total` items visible; false when it is no longer staging. */
  async commit(batchId: string, total: number): Promise<boolean> {
    const keys = this.#keys;
    return (
      (await this.#redis.llmrCommitBatch(
        keys.batch(batchId),
        keys.batchCustomIds(batchId),
        String(total),
      )) === 1
    );
  }

  async markEnqueued(batchId: string, through: number): Promise<void> {
    await this.#redis.hset(this.#keys.batch(batchId), "enqueued", through);
  }

  /** Every item is queued: the batch needs no recovery any more. */
  async markReady(batchId: string): Promise<void> {
    await this.#redis.hset(this.#keys.batch(batchId), "state", "ready");
    await this.#redis.zrem(this.#keys.pendingBatches, batchId);
  }

  async markNotified(batchId: string): Promise<void> {
    await this.#redis.hset(this.#keys.batch(batchId), "notified", 1);
  }

  /**
   * Leases the sweep that cancels a cancelled batch's items to the caller; false when a sweep holds
   * it already (running, or dead and awaiting the recovery). Taken before the batch is marked, so a
   * crash in between leaves a lease the recovery drops, never a mark without a sweep.
   */
  async leaseCancel(batchId: string, leaseMs: number): Promise<boolean> {
    return (await this.#redis.zadd(this.#keys.cancellingBatches, "NX", Date.now() + leaseMs, batchId)) === 1;
  }

  /** The sweep went through every item (or there is none to run): no recovery needed. */
  async releaseCancel(batchId: string): Promise<void> {
    await this.#redis.zrem(this.#keys.cancellingBatches, batchId);
  }

  /** The cancel's sweep went through the first `through` items; a resumed sweep starts there. */
  async markCancelSwept(batchId: string, through: number): Promise<void> {
    await this.#redis.hset(this.#keys.batch(batchId), "cancel_swept", through);
  }

  /** Marks the batch cancelled; see `cancel-batch-1.lua` for the answers. */
  async requestCancel(
    batchId: string,
    at: Date = new Date(),
  ): Promise<"missing" | "completed" | "cancelled" | "ok"> {
    return (await this.#redis.llmrCancelBatch(this.#keys.batch(batchId), at.toISOString())) as
      | "missing"
      | "completed"
      | "cancelled"
      | "ok";
  }

  /**
   * Whether the batch was cancelled: one read, for a worker about to run one of its items (the
   * cancel marks the batch first and reaches its items one by one afterwards).
   */
  async cancelRequested(batchId: string): Promise<boolean> {
    return (await this.#redis.hget(this.#keys.batch(batchId), "status")) === "cancelled";
  }

  /** Deletes a staged batch's own keys and lease (its items' job records are the caller's to delete). */
  async discard(batchId: string): Promise<void> {
    const keys = this.#keys;
    await this.#redis.del(
      keys.batch(batchId),
      keys.batchItems(batchId),
      keys.batchItemStates(batchId),
      keys.batchCustomIds(batchId),
    );
    await this.#redis.zrem(keys.pendingBatches, batchId);
  }

  async get(batchId: string): Promise<BatchMeta | undefined> {
    const hash = await this.#redis.hgetall(this.#keys.batch(batchId));
    if (!hash.tenant || !hash.state) return undefined;
    const count = (field: string) => Number(hash[field] ?? 0);
    return {
      id: batchId,
      tenant: hash.tenant,
      state: hash.state as BatchState,
      status: (hash.status ?? "queued") as BatchStatus,
      counts: {
        total: count("total"),
        queued: count("queued"),
        running: count("running"),
        succeeded: count("succeeded"),
        failed: count("failed"),
        cancelled: count("cancelled"),
      },
      costUnits: count("cost_e10"),
      createdAt: hash.created_at ?? "",
      finishedAt: hash.finished_at ?? null,
      startedAt: hash.started_at ?? null,
      notBefore: hash.not_before ?? null,
      completeBy: hash.complete_by ?? null,
      webhookUrl: hash.webhook_url ?? null,
      enqueued: count("enqueued"),
      notified: hash.notified === "1",
      cancelRequestedAt: hash.cancel_requested_at ?? null,
      cancelSwept: count("cancel_swept"),
    };
  }

  /** The contract's batch object of `meta`, with this store's window and an estimate as of now. */
  toPublic(meta: BatchMeta): PublicBatch {
    return publicBatch(meta, { window: this.#view.window, now: this.#view.now() });
  }

  #leases(kind: BatchLeaseKind): string {
    return kind === "pending" ? this.#keys.pendingBatches : this.#keys.cancellingBatches;
  }

  /** Items `start` to `start + count - 1` in submission order (fewer at the end). */
  async readItems(batchId: string, start: number, count: number): Promise<BatchItemEntry[]> {
    const rows = await this.#redis.lrange(this.#keys.batchItems(batchId), start, start + count - 1);
    return rows.map((row) => {
      const [customId, jobId, tier] = JSON.parse(row) as [string, string, string];
      return { customId, jobId, tier };
    });
  }

  /** Each job's record version and status last counted into the batch (version 0: none yet, queued). */
  async countedStates(
    batchId: string,
    jobIds: readonly string[],
  ): Promise<Array<{ version: number; status: string }>> {
    if (jobIds.length === 0) return [];
    const states = await this.#redis.hmget(this.#keys.batchItemStates(batchId), ...jobIds);
    return states.map((state) => {
      const [version, status] = (state ?? "0|queued").split("|");
      return { version: Number(version), status: status ?? "queued" };
    });
  }
}

/** The contract's batch object of a stored batch, with the window and estimate as of `view.now`. */
export function publicBatch(
  meta: BatchMeta,
  view: { window: DailyWindow | undefined; now: Date },
): PublicBatch {
  const date = (iso: string | null) => (iso ? new Date(iso) : null);
  return {
    id: meta.id,
    object: "batch",
    status: meta.status,
    counts: { ...meta.counts },
    cost_usd: Number((meta.costUnits / COST_UNITS_PER_USD).toFixed(10)),
    created_at: meta.createdAt,
    finished_at: meta.finishedAt,
    not_before: meta.notBefore,
    complete_by: meta.completeBy,
    started_at: meta.startedAt,
    cancel_requested_at: meta.cancelRequestedAt,
    window: batchWindowView(view.window, view.now),
    estimate: estimateBatch({
      status: meta.status,
      counts: meta.counts,
      startedAt: date(meta.startedAt),
      finishedAt: date(meta.finishedAt),
      notBefore: date(meta.notBefore),
      completeBy: date(meta.completeBy),
      window: view.window,
      now: view.now,
    }),
  };
}
