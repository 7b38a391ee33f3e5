/**
 * The mutable state of one running simulator, shared by its request handlers: the model table,
 * counters, rate-limit windows, the `times=` occurrence counts and the requests in flight.
 */
import { buildModelTable, type SimulatedModel } from "./model-table.ts";
import type { ResolvedOptions } from "./options.ts";
import { SlidingWindowRateLimiter } from "./rate-limiter.ts";
import { type SimulatorStats, StatsRecorder } from "./stats.ts";

export interface SimulatorRuntime {
  readonly options: ResolvedOptions;
  readonly models: ReadonlyMap<string, SimulatedModel>;
  readonly stats: StatsRecorder;
  readonly limiter: SlidingWindowRateLimiter;
  /** How many requests with each content hash were seen (drives `times=` and probabilistic draws). */
  readonly occurrences: Map<string, number>;
  /** One controller per completion request being worked on; aborting it stops the work and its timers. */
  readonly inFlight: Set<AbortController>;
  /** Set by `close()`: sockets destroyed from then on are not the client's doing. */
  closing: boolean;
  /** Live TCP connection count, supplied by the server. */
  openConnections: () => number;
}

export function createRuntime(options: ResolvedOptions): SimulatorRuntime {
  return {
    options,
    models: buildModelTable(options.models),
    stats: new StatsRecorder(),
    limiter: new SlidingWindowRateLimiter(),
    occurrences: new Map(),
    inFlight: new Set(),
    closing: false,
    openConnections: () => 0,
  };
}

/** Zeroes the counters, the `times=` counts and the rate-limit windows (requests in flight go on). */
export function resetRuntime(runtime: SimulatorRuntime): void {
  runtime.stats.reset();
  runtime.occurrences.clear();
  runtime.limiter.reset();
}

export function statsOf(runtime: SimulatorRuntime): SimulatorStats {
  return runtime.stats.snapshot({
    openConnections: runtime.openConnections(),
    inFlight: runtime.inFlight.size,
  });
}
