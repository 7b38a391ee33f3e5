import { availableParallelism } from "node:os";
import { performance } from "node:perf_hooks";
import { startRedis } from "@llmr/testing";
import { runApiEnqueue } from "./api-enqueue.ts";
import { runInteractiveUnderLoad } from "./interactive-under-load.ts";
import { runLimiterFidelity } from "./limiter-fidelity.ts";
import { runMemory } from "./memory.ts";
import type { BenchReport, ScenarioResult } from "./results.ts";
import { round } from "./stats.ts";
import { runWorkerOverhead } from "./worker-overhead.ts";

/** The scenarios, in the order they run. */
export const SCENARIOS = [
  "worker-overhead",
  "api-enqueue",
  "interactive-under-load",
  "limiter-fidelity",
  "memory",
] as const;
export type ScenarioName = (typeof SCENARIOS)[number];

const RUNNERS: Record<ScenarioName, (options: ScenarioOptions) => Promise<ScenarioResult>> = {
  "worker-overhead": runWorkerOverhead,
  "api-enqueue": runApiEnqueue,
  "interactive-under-load": runInteractiveUnderLoad,
  "limiter-fidelity": runLimiterFidelity,
  memory: runMemory,
};

/** What every scenario is given. */
interface ScenarioOptions {
  redisUrl: string;
  quick: boolean;
  cpuProfDir?: string;
}

/** Options of {@link runBench}. */
export interface RunBenchOptions {
  /** Small sizes, a few seconds per scenario (CI keeps the harness working with this). @defaultValue false */
  quick?: boolean;
  /** Only these scenarios. @defaultValue all of {@link SCENARIOS} */
  only?: readonly ScenarioName[];
  /** A Redis to use; else `startRedis()` provides one (and stops it afterwards). */
  redisUrl?: string;
  /** Write CPU profiles here (children via `--cpu-prof`, this process via `node:inspector`). */
  cpuProfDir?: string;
  /** Told as each scenario starts and ends. @defaultValue nothing */
  onProgress?: (line: string) => void;
}

/**
 * Runs the scenarios one after another and returns the report; figures are measured, never
 * judged here.
 *
 * @example
 * const report = await runBench({ quick: true });
 */
export async function runBench(options: RunBenchOptions = {}): Promise<BenchReport> {
  const quick = options.quick ?? false;
  const startedAt = new Date();
  const startMs = performance.now();
  const progress = options.onProgress ?? (() => undefined);
  const redis =
    options.redisUrl === undefined
      ? await startRedis({ onInfo: progress })
      : { url: options.redisUrl, stop: async () => undefined };
  const profile = options.cpuProfDir === undefined ? {} : { cpuProfDir: options.cpuProfDir };
  const scenarios: ScenarioResult[] = [];
  try {
    for (const name of options.only ?? SCENARIOS) {
      progress(`${name}: running${quick ? " (--quick)" : ""}`);
      const scenarioStartMs = performance.now();
      const run = RUNNERS[name];
      scenarios.push(await run({ redisUrl: redis.url, quick, ...profile }));
      progress(`${name}: done in ${round((performance.now() - scenarioStartMs) / 1_000, 1)} s`);
    }
  } finally {
    await redis.stop();
  }
  return {
    startedAt: startedAt.toISOString(),
    durationSeconds: round((performance.now() - startMs) / 1_000, 1),
    quick,
    node: process.version,
    cpus: availableParallelism(),
    scenarios,
  };
}
