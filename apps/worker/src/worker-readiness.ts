import type { RedisClient, RunningTierWorker } from "@llmr/core";

/** What `GET /readyz` reports: ready, or why not. */
export type Readiness = { ready: true } | { ready: false; reason: string };

/** The parts of a running worker that readiness looks at. */
export interface ReadinessSources {
  /** The worker's shared Redis connection (one server or a cluster). */
  redis: Pick<RedisClient, "status" | "ping">;
  /** Its BullMQ workers, one per tier × class. */
  workers: readonly Pick<RunningTierWorker, "worker">[];
}

/**
 * As the API's `/readyz` does: a Redis that takes longer than this to answer a PING counts as down.
 * @defaultValue 1000
 */
const PING_TIMEOUT_MS = 1_000;

/**
 * Whether this worker process is doing its job: start-up done, its Redis connection ready and
 * answering, every tier worker running (or paused by the batch window), and no stop signal received. Nothing routes traffic to a
 * worker, so "not ready" is read by the rollout (a new pod must get ready before an old one goes)
 * and by whoever looks at the pod; a restart would fix none of these, which is why liveness never
 * asks this.
 */
export class WorkerReadiness {
  #sources: ReadinessSources | undefined;
  #stopSignal: string | undefined;

  /** Start-up is over: the tier workers take jobs from now on. */
  running(sources: ReadinessSources): void {
    this.#sources = sources;
  }

  /** A stop signal arrived: not ready from this moment on, for good (the drain then runs). */
  draining(signal: string): void {
    this.#stopSignal ??= signal;
  }

  /** Checks now; never rejects. */
  async check(): Promise<Readiness> {
    if (this.#stopSignal !== undefined)
      return notReady(
        `draining after ${this.#stopSignal}: taking no new jobs, finishing the calls in flight`,
      );
    const sources = this.#sources;
    if (!sources) return notReady("starting");
    // "ready" only once connected (and, on a cluster, the slots are known); a dropped connection
    // goes "reconnecting" at once, so this needs no command when Redis is down.
    if (sources.redis.status !== "ready") return notReady(`the Redis connection is ${sources.redis.status}`);
    if (sources.workers.length === 0)
      return notReady("no tier worker runs here (WORKER_TIERS / WORKER_CLASSES select no queue with slots)");
    // A batch worker paused outside the config's batches.window is idle on purpose, not stopped.
    const stopped = sources.workers
      .filter(({ worker }) => !worker.isRunning() && !worker.isPaused())
      .map(({ worker }) => worker.name);
    if (stopped.length > 0) return notReady(`tier workers not running: ${stopped.join(", ")}`);
    // A half-open connection still says "ready"; a PING tells.
    return (await answersWithin(sources.redis, PING_TIMEOUT_MS))
      ? { ready: true }
      : notReady(`Redis did not answer PING within ${PING_TIMEOUT_MS} ms`);
  }
}

const notReady = (reason: string): Readiness => ({ ready: false, reason });

async function answersWithin(redis: Pick<RedisClient, "ping">, timeoutMs: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), timeoutMs);
  });
  try {
    return await Promise.race([
      redis.ping().then(
        () => true,
        () => false,
      ),
      timeout,
    ]);
  } finally {
    clearTimeout(timer);
  }
}
