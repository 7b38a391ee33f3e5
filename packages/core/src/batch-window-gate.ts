import type { DailyWindow } from "@llmr/daily-window";
import { windowState } from "@llmr/daily-window";
import type { Job, Processor, Worker } from "bullmq";
import { DelayedError } from "bullmq";

/** The batch workers stopped or started taking jobs because the daily window closed or opened. */
export type BatchWindowEvent =
  | { type: "batch_window_closed"; opensAt: Date; queues: string[] }
  | { type: "batch_window_opened"; closesAt: Date; queues: string[] };

/** Options of {@link BatchWindowGate}. */
export interface BatchWindowGateOptions {
  /** Told when batch work pauses or resumes (and once at start); the app logs it. */
  onEvent?: (event: BatchWindowEvent) => void;
  /** A worker's run that failed to start. */
  onError?: (error: unknown, worker: Worker) => void;
  /**
   * The clock the window is read on; timers run on real time, by the difference.
   * @defaultValue `() => new Date()`
   */
  now?: () => Date;
  /**
   * The longest single timer: the state is read again at least this often, so a suspended host
   * or a clock step cannot leave workers paused past the window's start.
   * @defaultValue 60000
   */
  maxTimerMs?: number;
}

/**
 * Lets batch-class workers take jobs only inside the config's daily window, with BullMQ's own
 * per-worker `pause(true)` / `resume()`: outside it they fetch nothing (calls already running
 * finish), at its start they fetch again. Its timer is unref'd and stops when a worker closes, so
 * it never holds a drain.
 */
export class BatchWindowGate {
  readonly #window: DailyWindow;
  #workers: readonly Worker[] = [];
  readonly #options: BatchWindowGateOptions;
  readonly #now: () => Date;
  #open: boolean | undefined;
  #timer: NodeJS.Timeout | undefined;
  #stopped = false;

  constructor(window: DailyWindow, options: BatchWindowGateOptions = {}) {
    this.#window = window;
    this.#options = options;
    this.#now = options.now ?? (() => new Date());
  }

  /** Whether batch work may start now, by the gate's clock. */
  isOpen(): boolean {
    return windowState(this.#window, this.#now()).open;
  }

  /** Real-time ms until the window opens (0 while open). */
  msUntilOpen(): number {
    const now = this.#now();
    const { opensAt } = windowState(this.#window, now);
    return opensAt ? Math.max(0, opensAt.getTime() - now.getTime()) : 0;
  }

  /**
   * Runs `workers` (created with `autorun: false`) if the window is open, else leaves them paused
   * until it opens. The gate stops when any of them closes.
   */
  start(workers: readonly Worker[]): void {
    this.#workers = workers;
    for (const worker of workers) worker.once("closing", () => this.stop());
    this.#apply();
  }

  stop(): void {
    this.#stopped = true;
    clearTimeout(this.#timer);
  }

  /**
   * Wraps the batch processor: a job fetched while the window is closed (a worker that was
   * blocked waiting for a job when it paused can still take one) goes back, delayed to the start.
   */
  guard<T extends Job>(processor: Processor<T>): Processor<T> {
    return async (job, token, signal) => {
      const waitMs = this.msUntilOpen();
      if (waitMs > 0 && token) {
        await job.moveToDelayed(Date.now() + waitMs, token);
        throw new DelayedError();
      }
      return processor(job, token, signal);
    };
  }

  #apply(): void {
    if (this.#stopped) return;
    const now = this.#now();
    const state = windowState(this.#window, now);
    if (state.open !== this.#open) {
      const first = this.#open === undefined;
      this.#open = state.open;
      const queues = this.#workers.map((worker) => worker.name);
      if (state.open) {
        for (const worker of this.#workers) {
          // The first time a worker runs it is started, afterwards resumed (BullMQ's resume runs
          // a worker whose loop ended while paused).
          if (first) worker.run().catch((error: unknown) => this.#options.onError?.(error, worker));
          else void worker.resume();
        }
        this.#options.onEvent?.({ type: "batch_window_opened", closesAt: state.closesAt, queues });
      } else {
        // true: do not wait for the running calls; they finish on their own.
        for (const worker of this.#workers) void worker.pause(true);
        this.#options.onEvent?.({ type: "batch_window_closed", opensAt: state.opensAt ?? now, queues });
      }
    }
    const nextChange = state.open ? state.closesAt : (state.opensAt ?? state.closesAt);
    // 1 ms past the change: the window opens at its start and is closed at its end.
    const delayMs = Math.min(
      Math.max(1, nextChange.getTime() - now.getTime() + 1),
      this.#options.maxTimerMs ?? 60_000,
    );
    clearTimeout(this.#timer);
    this.#timer = setTimeout(() => this.#apply(), delayMs);
    this.#timer.unref();
  }
}
