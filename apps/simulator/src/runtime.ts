/**
 * The mutable state of one running simulator, shared by its request handlers: the model table,
 * counters, rate-limit windows, the `times=` occurrence counts and the requests in flight.
 */
import { buildModelTable, defaultModels, type SimulatedModel } from "./model-table.ts";
import type { ResolvedOptions } from "./options.ts";
import { SlidingWindowRateLimiter } from "./rate-limiter.ts";
import type { ReplayIndex } from "./replay-index.ts";
import { type SimulatorStats, StatsRecorder } from "./stats.ts";

export interface SimulatorRuntime {
  readonly options: ResolvedOptions;
  readonly models: ReadonlyMap<string, SimulatedModel>;
  /** Replay mode's recorded answers; undefined when every answer is generated. */
  readonly replay: ReplayIndex | undefined;
  /** Models only the replay files know: without a recorded answer they have nothing to say (404). */
  readonly replayOnlyModels: ReadonlySet<string>;
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

export function createRuntime(options: ResolvedOptions, replay?: ReplayIndex): SimulatorRuntime {
  // Replay models are registered like an option-added model (from `sim-medium`), so the model
  // check admits them and `models` options can still tune their latency or limits.
  const replayOnlyModels = new Set(
    [...(replay?.models ?? [])].filter((id) => !(id in defaultModels) && !(id in options.models)),
  );
  const replayModels = Object.fromEntries([...replayOnlyModels].map((id) => [id, {}]));
  return {
    options,
    models: buildModelTable({ ...replayModels, ...options.models }),
    replay,
    replayOnlyModels,
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
