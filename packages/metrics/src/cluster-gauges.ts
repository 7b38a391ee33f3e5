import type { Registry } from "prom-client";
import { Gauge } from "prom-client";

/** Queue states counted as depth: what waits (in any form) and what runs. */
export const QUEUE_STATES = ["waiting", "prioritized", "delayed", "active"] as const;
export type QueueState = (typeof QUEUE_STATES)[number];
export const BREAKER_STATES = ["closed", "open", "half_open"] as const;
export type BreakerStateLabel = (typeof BREAKER_STATES)[number];

/** Cluster-wide state as Redis holds it, read when Prometheus scrapes (see `clusterStateFrom`). */
export interface ClusterState {
  queues: Array<{ tier: string; jobClass: string; counts: Partial<Record<QueueState, number>> }>;
  breakers: Array<{ deployment: string; state: BreakerStateLabel }>;
}

export interface ClusterGaugeOptions {
  /**
   * A scrape gives up on Redis after this long: the gauges are left empty and
   * `llmr_cluster_state_up` says 0, rather than the scrape hanging.
   * @defaultValue 2000
   */
  timeoutMs?: number;
}

/**
 * Registers the gauges that show the whole router rather than this process: queue depth per tier
 * × class × state and each deployment's breaker state, read from Redis at scrape time (a bounded
 * handful of commands: one count per queue, one state read per deployment).
 */
export function registerClusterGauges(
  registry: Registry,
  read: () => Promise<ClusterState>,
  options: ClusterGaugeOptions = {},
): void {
  const timeoutMs = options.timeoutMs ?? 2_000;
  // One read serves every gauge of a scrape (prom-client collects them concurrently), and a scrape
  // that arrives while a read is under way shares it: Redis sees one read at a time at most.
  let inFlight: Promise<ClusterState | undefined> | undefined;
  const current = (): Promise<ClusterState | undefined> => {
    if (inFlight) return inFlight;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<undefined>((resolve) => {
      timer = setTimeout(() => resolve(undefined), timeoutMs);
    });
    inFlight = Promise.race([read().catch(() => undefined), timeout]).finally(() => {
      clearTimeout(timer);
      inFlight = undefined;
    });
    return inFlight;
  };

  const registers = [registry];
  const up = new Gauge({
    name: "llmr_cluster_state_up",
    help: "1 when this scrape read the queues and breakers from Redis, 0 when Redis did not answer in time (the cluster gauges are then empty).",
    registers,
    async collect() {
      this.set((await current()) ? 1 : 0);
    },
  });
  void up;
  new Gauge({
    name: "llmr_queue_jobs",
    help: "Jobs in each tier × class queue by state (waiting, prioritized, delayed, active), read from Redis at scrape time.",
    labelNames: ["tier", "class", "state"],
    registers,
    async collect() {
      this.reset();
      const state = await current();
      for (const queue of state?.queues ?? []) {
        for (const name of QUEUE_STATES) {
          this.set({ tier: queue.tier, class: queue.jobClass, state: name }, queue.counts[name] ?? 0);
        }
      }
    },
  });
  new Gauge({
    name: "llmr_breaker_state",
    help: "Each deployment's circuit breaker: 1 on its current state (closed, open, half_open), 0 on the others; read from Redis at scrape time.",
    labelNames: ["deployment", "state"],
    registers,
    async collect() {
      this.reset();
      const state = await current();
      for (const breaker of state?.breakers ?? []) {
        for (const name of BREAKER_STATES) {
          this.set({ deployment: breaker.deployment, state: name }, breaker.state === name ? 1 : 0);
        }
      }
    },
  });
}
