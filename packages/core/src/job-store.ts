import { readFileSync } from "node:fs";
import { setTimeout as sleep } from "node:timers/promises";
import type { Result } from "ioredis";
import type { BatchProgressOptions } from "./batches/batch-progress.ts";
import { BatchProgress } from "./batches/batch-progress.ts";
import type { JobEventType } from "./job-events.ts";
import { MAX_EVENTS_PER_JOB } from "./job-events.ts";
import type { JobRecord } from "./job-record.ts";
import { TERMINAL_STATUSES } from "./job-record.ts";
import type { RedisClient } from "./redis-connection.ts";
import type { RedisKeys } from "./redis-keys.ts";

const UPDATE_SCRIPT = readFileSync(new URL("./lua/update-record-2.lua", import.meta.url), "utf8");
const CREATE_SCRIPT = readFileSync(new URL("./lua/create-record-2.lua", import.meta.url), "utf8");
/**
 * Concurrent writers of one record are rare (a cancel racing a result). Losers of a round back off
 * for a random, growing moment so that even a burst of writers settles quickly instead of livelocking.
 */
const MAX_UPDATE_ROUNDS = 50;
const MAX_UPDATE_BACKOFF_MS = 20;

declare module "ioredis" {
  interface RedisCommander<Context> {
    llmrUpdateRecord(
      key: string,
      eventsKey: string,
      expectedVersion: string,
      doc: string,
      ttlMs: string,
      finishedEventsTtlMs: string,
    ): Result<number, Context>;
    llmrCreateRecord(
      key: string,
      eventsKey: string,
      doc: string,
      ttlMs: string,
      eventType: string,
      eventData: string,
      channel: string,
      jobId: string,
      eventsTtlMs: string,
      maxEvents: string,
    ): Result<number, Context>;
  }
}

/** A job's first event, written with its record by {@link JobStore.create}. */
export interface FirstJobEvent {
  type: JobEventType;
  data: unknown;
}

export interface StoredRecord {
  record: JobRecord;
  version: number;
}

/** Options of {@link JobStore}. */
export interface JobStoreOptions {
  /** How long a finished job (and a finished batch) stays readable, in seconds. */
  retentionSeconds: number;
  /**
   * How long a finished job's event stream stays, in seconds: a write that finishes a job shortens
   * its stream to this (as `JobEvents` does with the final event), at most `retentionSeconds`.
   * @defaultValue `retentionSeconds`
   */
  eventsRetentionSeconds?: number;
  /** What this process does when a batch finishes (its webhook), and with failed count updates. */
  batches?: Omit<BatchProgressOptions, "retentionSeconds">;
}

/**
 * The public job records, stored apart from BullMQ's jobs so a job keeps one id while it moves
 * between tier queues. Writes are compare-and-set on a version, so no update is ever lost. A
 * write that changes a batch item's status or cost is counted into its batch before `update`
 * resolves, in every process that writes records, so a batch's counts follow its items.
 */
export class JobStore {
  readonly #redis: RedisClient;
  readonly #keys: RedisKeys;
  readonly #retentionMs: number;
  readonly #eventsRetentionMs: number;
  readonly #batches: BatchProgress;

  constructor(redis: RedisClient, keys: RedisKeys, options: JobStoreOptions) {
    this.#redis = redis;
    this.#keys = keys;
    this.#retentionMs = options.retentionSeconds * 1000;
    this.#eventsRetentionMs =
      Math.min(options.eventsRetentionSeconds ?? options.retentionSeconds, options.retentionSeconds) * 1000;
    this.#batches = new BatchProgress(redis, keys, {
      ...options.batches,
      retentionSeconds: options.retentionSeconds,
    });
    // Idempotent: several stores may share one client.
    redis.defineCommand("llmrUpdateRecord", { numberOfKeys: 2, lua: UPDATE_SCRIPT });
    redis.defineCommand("llmrCreateRecord", { numberOfKeys: 2, lua: CREATE_SCRIPT });
  }

  /**
   * Stores a new record; resolves only once Redis has it. With `options.event`, the job's first
   * event goes to its event stream and channel in the same step, exactly as `JobEvents.publish`
   * would write it (one Redis call instead of two on the submit path).
   */
  async create(record: JobRecord, options: { event?: FirstJobEvent } = {}): Promise<void> {
    const id = record.job.id;
    const event = options.event;
    const created = await this.#redis.llmrCreateRecord(
      this.#keys.job(id),
      this.#keys.jobEvents(id),
      JSON.stringify(record),
      String(this.#ttlFor(record)),
      event ? event.type : "",
      event ? JSON.stringify(event.data) : "",
      this.#keys.eventsChannel,
      id,
      // A record stored finished already keeps its stream only as long as a finished job's.
      String(this.#ttlFor(record) > 0 ? this.#eventsRetentionMs : this.#retentionMs),
      String(MAX_EVENTS_PER_JOB),
    );
    if (created < 0) throw new Error(`job ${id} already exists`);
  }

  async get(jobId: string): Promise<StoredRecord | undefined> {
    const [version, doc] = await this.#redis.hmget(this.#keys.job(jobId), "v", "doc");
    if (version === null || doc === null || version === undefined || doc === undefined) return undefined;
    return { record: JSON.parse(doc) as JobRecord, version: Number(version) };
  }

  /**
   * Applies `change` to the current record and stores it if nobody wrote in between, else reads
   * again and re-applies. `change` returns the new record, or undefined to leave it as it is.
   */
  async update(
    jobId: string,
    change: (record: JobRecord) => JobRecord | undefined,
  ): Promise<JobRecord | undefined> {
    for (let round = 0; round < MAX_UPDATE_ROUNDS; round++) {
      const stored = await this.get(jobId);
      if (!stored) return undefined;
      const next = change(stored.record);
      if (!next) return stored.record;
      const version = await this.#redis.llmrUpdateRecord(
        this.#keys.job(jobId),
        this.#keys.jobEvents(jobId),
        String(stored.version),
        JSON.stringify(next),
        String(this.#ttlFor(next)),
        String(this.#eventsRetentionMs),
      );
      if (version >= 0) {
        const before = stored.record.job;
        if (
          next.job.batch_id &&
          (next.job.status !== before.status || next.job.cost_usd !== before.cost_usd)
        ) {
          await this.#batches.report(next, version);
        }
        return next;
      }
      await sleep(Math.random() * Math.min(MAX_UPDATE_BACKOFF_MS, 2 ** round));
    }
    throw new Error(`job ${jobId}: too many concurrent updates`);
  }

  /**
   * Counts a batch item's current record into its batch again (idempotent): for a worker that
   * re-runs a finished job after a crash, which may have cut off the first count.
   */
  async syncBatchItem(jobId: string): Promise<void> {
    const stored = await this.get(jobId);
    if (stored?.record.job.batch_id) await this.#batches.report(stored.record, stored.version);
  }

  /** Removes a record and its event stream (both under the job's hash tag). */
  async delete(jobId: string): Promise<void> {
    await this.#redis.del(this.#keys.job(jobId), this.#keys.jobEvents(jobId));
  }

  /** Unfinished jobs never expire (they must not vanish from under a worker); finished ones do. */
  #ttlFor(record: JobRecord): number {
    return TERMINAL_STATUSES.has(record.job.status) ? this.#retentionMs : 0;
  }
}
