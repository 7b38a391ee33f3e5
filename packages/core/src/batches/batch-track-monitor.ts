import { readFileSync } from "node:fs";
import type { Result } from "ioredis";
import type { RedisClient } from "../redis-connection.ts";
import type { RedisKeys } from "../redis-keys.ts";
import type { PublicBatch } from "./batch-object.ts";
import type { BatchStore } from "./batch-store.ts";

const SET_TRACK = readFileSync(new URL("../lua/set-batch-track-1.lua", import.meta.url), "utf8");

declare module "ioredis" {
  interface RedisCommander<Context> {
    llmrSetBatchTrack(batchKey: string, onTrack: string): Result<string | null, Context>;
  }
}

/** A batch's estimate crossed its `complete_by`: `off_track` (warn) or `back_on_track` (info). */
export interface BatchTrackEvent {
  type: "off_track" | "back_on_track";
  batch: PublicBatch;
}

/** Options of {@link BatchTrackMonitor}. */
export interface BatchTrackMonitorOptions {
  onEvent: (event: BatchTrackEvent) => void;
  /** A check that failed (Redis away); the next check tries again. */
  onError?: (error: unknown, batchId: string) => void;
  /**
   * How often the watched batches' estimates are looked at.
   * @defaultValue 15000
   */
  intervalMs?: number;
}

/**
 * Watches the estimates of the batches this process works on (`watch` is fed by the job store's
 * batch reports), off the hot path: every `intervalMs` it reads each one (one HGETALL) and, when
 * its `on_track` changed, records that in the batch hash (one script that says whether it changed),
 * so that however many workers watch a batch, each change is told once. A batch that finished is
 * dropped after its last check.
 */
export class BatchTrackMonitor {
  readonly #redis: RedisClient;
  readonly #keys: RedisKeys;
  readonly #batches: BatchStore;
  readonly #options: BatchTrackMonitorOptions;
  readonly #watched = new Set<string>();
  #timer: NodeJS.Timeout | undefined;
  #checking: Promise<void> | undefined;

  constructor(redis: RedisClient, keys: RedisKeys, batches: BatchStore, options: BatchTrackMonitorOptions) {
    this.#redis = redis;
    this.#keys = keys;
    this.#batches = batches;
    this.#options = options;
    redis.defineCommand("llmrSetBatchTrack", { numberOfKeys: 1, lua: SET_TRACK });
  }

  /** Looks at `batchId` from the next check on (cheap: remembers the id). */
  watch(batchId: string): void {
    this.#watched.add(batchId);
  }

  start(): void {
    if (this.#timer) return;
    this.#timer = setInterval(() => void this.check(), this.#options.intervalMs ?? 15_000);
    // Never what keeps a draining process alive.
    this.#timer.unref();
  }

  /** Stops the timer and waits for a check under way. */
  async stop(): Promise<void> {
    clearInterval(this.#timer);
    this.#timer = undefined;
    await this.#checking;
  }

  /** Checks every watched batch now (the timer does this; tests call it). One check at a time. */
  async check(): Promise<void> {
    this.#checking ??= this.#checkAll().finally(() => {
      this.#checking = undefined;
    });
    return this.#checking;
  }

  async #checkAll(): Promise<void> {
    for (const batchId of [...this.#watched]) {
      try {
        await this.#checkOne(batchId);
      } catch (error) {
        this.#options.onError?.(error, batchId);
      }
    }
  }

  async #checkOne(batchId: string): Promise<void> {
    const meta = await this.#batches.get(batchId);
    if (!meta || meta.finishedAt) this.#watched.delete(batchId);
    if (!meta || meta.status === "cancelled") return;
    const batch = this.#batches.toPublic(meta);
    const onTrack = batch.estimate.on_track;
    if (onTrack === null) return;
    const previous = await this.#redis.llmrSetBatchTrack(this.#keys.batch(batchId), onTrack ? "1" : "0");
    if (previous === null) return;
    if (!onTrack && previous !== "0") this.#options.onEvent({ type: "off_track", batch });
    else if (onTrack && previous === "0") this.#options.onEvent({ type: "back_on_track", batch });
  }
}
