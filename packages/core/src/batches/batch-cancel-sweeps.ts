import type { SweepBatchCancelDeps, SweepOutcome } from "./sweep-batch-cancel.ts";
import { sweepBatchCancel } from "./sweep-batch-cancel.ts";

/** Options of {@link BatchCancelSweeps}. */
export interface BatchCancelSweepsOptions {
  /** Receives a sweep that failed (e.g. Redis went away); its lease runs out and the recovery resumes it. */
  onError?: (error: unknown, batchId: string) => void;
  /** Told when a sweep ended, e.g. to log how long it took. */
  onSwept?: (batchId: string, outcome: SweepOutcome) => void;
}

/**
 * The cancel sweeps a process runs in the background, so that a batch's cancel answers at once
 * however many items it has. `close` stops them after their current chunk and hands their leases
 * to the recovery (another process, or this one after a restart, finishes them).
 */
export class BatchCancelSweeps {
  readonly #deps: SweepBatchCancelDeps;
  readonly #options: BatchCancelSweepsOptions;
  readonly #running = new Map<string, Promise<void>>();
  readonly #stop = new AbortController();

  constructor(deps: SweepBatchCancelDeps, options: BatchCancelSweepsOptions = {}) {
    this.#deps = deps;
    this.#options = options;
  }

  /**
   * Sweeps the cancelled batch (whose `cancelling` lease the caller took) in the background, once
   * per batch in this process. Resolves when the sweep ends; never rejects.
   */
  start(batchId: string): Promise<void> {
    const running = this.#running.get(batchId);
    if (running) return running;
    const sweep = sweepBatchCancel(this.#deps, batchId, { signal: this.#stop.signal })
      .then((outcome) => this.#options.onSwept?.(batchId, outcome))
      .catch((error: unknown) => this.#options.onError?.(error, batchId))
      .finally(() => this.#running.delete(batchId));
    this.#running.set(batchId, sweep);
    return sweep;
  }

  /** Stops every sweep after its current chunk and waits for them. */
  async close(): Promise<void> {
    this.#stop.abort();
    await Promise.all(this.#running.values());
  }
}
