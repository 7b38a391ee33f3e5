import { performance } from "node:perf_hooks";

/**
 * When each job's result became visible, by id, whichever comes first: the finish or the wait for
 * it (a zero-latency job may finish before its submitter has its id back).
 */
export class Completions {
  readonly #finishedAtMs = new Map<string, number>();
  readonly #waiters = new Map<string, (atMs: number) => void>();

  #failures = 0;

  /** How many jobs finished without succeeding. */
  get failures(): number {
    return this.#failures;
  }

  /** Records that `id` is done now (`ok`: it succeeded). */
  finish(id: string, ok: boolean): void {
    const atMs = performance.now();
    if (!ok) this.#failures++;
    const waiter = this.#waiters.get(id);
    if (waiter) {
      this.#waiters.delete(id);
      waiter(atMs);
    } else this.#finishedAtMs.set(id, atMs);
  }

  /** Resolves with the `performance.now()` at which `id` finished. */
  finishedAt(id: string): Promise<number> {
    const atMs = this.#finishedAtMs.get(id);
    if (atMs !== undefined) {
      this.#finishedAtMs.delete(id);
      return Promise.resolve(atMs);
    }
    return new Promise((resolve) => this.#waiters.set(id, resolve));
  }
}

/** A job system under test: enqueue one job, get its id; {@link Completions} says when it is done. */
export interface JobSystem {
  readonly completions: Completions;
  submit(input: string): Promise<string>;
  close(): Promise<void>;
}

/** Throughput and per-job latency of one {@link JobSystem}. */
export interface JobSystemFigures {
  jobsPerSecond: number;
  /** Latencies measured one job at a time, so they hold no queueing behind other jobs. */
  latenciesMs: number[];
}

/**
 * Warms `system` up with `warmupJobs`, then enqueues `burstJobs` at once (throughput: all enqueued
 * → all done), then runs `latencyJobs` one after another (enqueue → result visible).
 */
export async function measureJobSystem(
  system: JobSystem,
  counts: { warmupJobs: number; burstJobs: number; latencyJobs: number },
): Promise<JobSystemFigures> {
  const runBurst = async (n: number, label: string) => {
    const ids = await Promise.all(
      Array.from({ length: n }, (_, i) => system.submit(`${label} question ${i}`)),
    );
    await Promise.all(ids.map((id) => system.completions.finishedAt(id)));
  };
  await runBurst(counts.warmupJobs, "Warm-up");
  const startMs = performance.now();
  await runBurst(counts.burstJobs, "Burst");
  const burstMs = performance.now() - startMs;
  const latenciesMs: number[] = [];
  for (let i = 0; i < counts.latencyJobs; i++) {
    const submittedMs = performance.now();
    const id = await system.submit(`Latency question ${i}`);
    latenciesMs.push((await system.completions.finishedAt(id)) - submittedMs);
  }
  return { jobsPerSecond: counts.burstJobs / (burstMs / 1_000), latenciesMs };
}
