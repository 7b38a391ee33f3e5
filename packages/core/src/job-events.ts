import { readFileSync } from "node:fs";
import type { Result } from "ioredis";
import type { RedisClient } from "./redis-connection.ts";
import type { RedisKeys } from "./redis-keys.ts";

const PUBLISH_SCRIPT = readFileSync(new URL("./lua/publish-event-2.lua", import.meta.url), "utf8");
/** A job's stream keeps its recent events; a job makes a handful, so this is never reached in practice. */
export const MAX_EVENTS_PER_JOB = 500;

declare module "ioredis" {
  interface RedisCommander<Context> {
    llmrPublishEvent(
      key: string,
      recordKey: string,
      channel: string,
      jobId: string,
      type: string,
      data: string,
      ttlMs: string,
      maxLen: string,
      finishedTtlMs: string,
    ): Result<string, Context>;
  }
}

/** What happened to a job, as `GET /v1/jobs/{id}/events` streams it. */
export type JobEventType = "status" | "attempt" | "slow" | "escalated" | "job";

/** Options of {@link JobEvents}. */
export interface JobEventsOptions {
  /** How long a running job's stream lives after its latest event, in seconds (the record's retention). */
  retentionSeconds: number;
  /**
   * How long a finished job's stream stays, in seconds (at most `retentionSeconds`): live streams
   * and `Last-Event-ID` resumes need it shortly after the end; the record outlives it.
   * @defaultValue `retentionSeconds`
   */
  eventsRetentionSeconds?: number;
}

export interface JobEvent {
  /** The stream id: increasing, usable as the SSE `id` and `Last-Event-ID`. */
  id: string;
  type: JobEventType;
  data: unknown;
}

/**
 * The announcement on the event channel (the data stays in the stream). `cancel` is not a stream
 * event: it tells the worker running the job to abort its call.
 */
export type JobEventNotice =
  | { job_id: string; id: string; type: JobEventType }
  | { job_id: string; type: "cancel"; hop: number };

/**
 * Every job's history of events: appended by the API and the workers, read back by the event
 * stream and the long-poll. Each event is kept in a per-job Redis stream (for replay and resume)
 * and announced on one pub/sub channel (for live listeners), atomically.
 */
export class JobEvents {
  readonly #redis: RedisClient;
  readonly #keys: RedisKeys;
  readonly #ttlMs: number;
  readonly #finishedTtlMs: number;

  constructor(redis: RedisClient, keys: RedisKeys, options: JobEventsOptions) {
    this.#redis = redis;
    this.#keys = keys;
    this.#ttlMs = options.retentionSeconds * 1000;
    this.#finishedTtlMs =
      Math.min(options.eventsRetentionSeconds ?? options.retentionSeconds, options.retentionSeconds) * 1000;
    redis.defineCommand("llmrPublishEvent", { numberOfKeys: 2, lua: PUBLISH_SCRIPT });
  }

  /** The pub/sub channel of this router's job events. */
  get channel(): string {
    return this.#keys.eventsChannel;
  }

  /**
   * Appends the event. Once the job has finished (this is its `job` event, or its record is
   * finished or gone) the stream's TTL drops to the events retention, and never grows back.
   */
  async publish(jobId: string, type: JobEventType, data: unknown): Promise<string> {
    return this.#redis.llmrPublishEvent(
      this.#keys.jobEvents(jobId),
      this.#keys.job(jobId),
      this.#keys.eventsChannel,
      jobId,
      type,
      JSON.stringify(data),
      String(this.#ttlMs),
      String(MAX_EVENTS_PER_JOB),
      String(this.#finishedTtlMs),
    );
  }

  /** Tells every worker to abort the job's call if it is running one (the record already says cancelled). */
  async announceCancel(jobId: string, hop: number): Promise<void> {
    const notice: JobEventNotice = { job_id: jobId, type: "cancel", hop };
    await this.#redis.publish(this.#keys.eventsChannel, JSON.stringify(notice));
  }

  /** The job's events after `afterId` (exclusive), or all of them, oldest first. */
  async history(jobId: string, afterId?: string): Promise<JobEvent[]> {
    const start = afterId ? `(${afterId}` : "-";
    const entries = await this.#redis.xrange(this.#keys.jobEvents(jobId), start, "+");
    return entries.map(([id, fields]) => toEvent(id, fields));
  }
}

function toEvent(id: string, fields: string[]): JobEvent {
  const map = new Map<string, string>();
  for (let i = 0; i + 1 < fields.length; i += 2) map.set(fields[i] as string, fields[i + 1] as string);
  return {
    id,
    type: (map.get("type") ?? "status") as JobEventType,
    data: JSON.parse(map.get("data") ?? "null"),
  };
}

/** True when `id` comes after `other` in stream order (`<ms>-<seq>`). */
export function isAfter(id: string, other: string): boolean {
  const [ms, seq] = id.split("-").map(Number) as [number, number];
  const [otherMs, otherSeq] = other.split("-").map(Number) as [number, number];
  return ms > otherMs || (ms === otherMs && seq > otherSeq);
}
