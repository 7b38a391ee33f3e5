import { collectDefaultMetrics, Registry } from "prom-client";
import type { ApiMetrics } from "./api-metrics.ts";
import { defineApiMetrics } from "./api-metrics.ts";
import type { WorkerMetrics } from "./worker-metrics.ts";
import { defineWorkerMetrics } from "./worker-metrics.ts";

/** Every family name starts with this, the Node process metrics included. */
export const METRIC_PREFIX = "llmr_";

export interface RegistryOptions {
  /**
   * Also collect Node's process metrics (CPU, memory, event-loop lag, GC), as
   * `llmr_process_*` / `llmr_nodejs_*`. Off in tests that compare whole scrapes.
   * @defaultValue true
   */
  processMetrics?: boolean;
}

/** A fresh registry, with the Node process metrics unless asked not to. One per process. */
function newRegistry(options: RegistryOptions): Registry {
  const registry = new Registry();
  if (options.processMetrics ?? true) collectDefaultMetrics({ register: registry, prefix: METRIC_PREFIX });
  return registry;
}

/**
 * The worker process's registry and its families. Create it once per process: prom-client refuses
 * a second family of the same name on one registry.
 *
 * @example
 * ```ts
 * const { registry, metrics } = createWorkerRegistry();
 * const observe = createProcessorEventObserver(metrics, config);
 * startTierWorkers(redis, { ...deps, onEvent: (event) => { log(event); observe(event); } });
 * // GET /metrics → res.end(await registry.metrics())
 * ```
 */
export function createWorkerRegistry(options: RegistryOptions = {}): {
  registry: Registry;
  metrics: WorkerMetrics;
} {
  const registry = newRegistry(options);
  return { registry, metrics: defineWorkerMetrics(registry) };
}

/** The API process's registry and its own families; add the cluster gauges with `registerClusterGauges`. */
export function createApiRegistry(options: RegistryOptions = {}): {
  registry: Registry;
  metrics: ApiMetrics;
} {
  const registry = newRegistry(options);
  return { registry, metrics: defineApiMetrics(registry) };
}
