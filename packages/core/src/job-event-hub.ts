import type { JobEventNotice } from "./job-events.ts";
import type { RedisClient } from "./redis-connection.ts";

type Listener = (notice: JobEventNotice) => void;

/**
 * One subscription per process to the job-event channel, fanned out in memory to whoever waits on
 * a job: a thousand long-polling clients cost one Redis connection and no Redis round-trip per
 * client per tick.
 */
export class JobEventHub {
  readonly #subscriber: RedisClient;
  readonly #channel: string;
  readonly #byJob = new Map<string, Set<Listener>>();
  readonly #everything = new Set<Listener>();
  #ready: Promise<unknown> | undefined;

  /** @param subscriber - a connection of its own: a subscribed connection can run nothing else. */
  constructor(subscriber: RedisClient, channel: string) {
    this.#subscriber = subscriber;
    this.#channel = channel;
    subscriber.on("message", (channelName: string, message: string) => {
      if (channelName !== this.#channel) return;
      let notice: JobEventNotice;
      try {
        notice = JSON.parse(message) as JobEventNotice;
      } catch {
        return;
      }
      for (const listener of this.#everything) listener(notice);
      const listeners = this.#byJob.get(notice.job_id);
      if (listeners) for (const listener of [...listeners]) listener(notice);
    });
  }

  /** Subscribes (once); resolves when Redis confirmed, so no notice sent afterwards is missed. */
  start(): Promise<unknown> {
    this.#ready ??= this.#subscriber.subscribe(this.#channel).catch((error: unknown) => {
      // Redis was unreachable: let the next caller try again (ioredis re-subscribes by itself
      // after a reconnect once a subscription went through).
      this.#ready = undefined;
      throw error;
    });
    return this.#ready;
  }

  /** Calls `listener` for every notice about `jobId` until the returned function is called. */
  listen(jobId: string, listener: Listener): () => void {
    let listeners = this.#byJob.get(jobId);
    if (!listeners) {
      listeners = new Set();
      this.#byJob.set(jobId, listeners);
    }
    listeners.add(listener);
    return () => {
      listeners.delete(listener);
      if (listeners.size === 0) this.#byJob.delete(jobId);
    };
  }

  /** Calls `listener` for every notice of every job (the worker's cancel handling). */
  listenAll(listener: Listener): () => void {
    this.#everything.add(listener);
    return () => this.#everything.delete(listener);
  }

  /** Listeners currently registered, for tests and metrics. */
  get listenerCount(): number {
    let count = this.#everything.size;
    for (const listeners of this.#byJob.values()) count += listeners.size;
    return count;
  }

  async close(): Promise<void> {
    this.#byJob.clear();
    this.#everything.clear();
    await this.#subscriber.quit().catch(() => this.#subscriber.disconnect());
  }
}
