import { randomUUID } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";
import { createRedis, JobRequestSchema, JobStore, RedisKeys, submitJob, TierQueues } from "@llmr/core";
import type { RunningSimulator } from "@llmr/simulator";
import { startSimulator } from "@llmr/simulator";
import type { AppProcess } from "@llmr/testing";
import { benchConfig, tierOf, writeBenchConfigFile } from "./bench-config.ts";
import { startWorkerChild } from "./child-app.ts";
import type { ScenarioResult } from "./results.ts";
import { ratio, round } from "./stats.ts";
import { waitForWorkers } from "./wait-for-workers.ts";

/** Sizes of the limiter fidelity scenario. */
export interface LimiterFidelityOptions {
  redisUrl: string;
  quick: boolean;
  /** Where the worker processes write their CPU profiles; none when absent. */
  cpuProfDir?: string;
}

const TIER = "fast";
const MODEL = "gpt-5.4-nano";
/** Worker processes sharing the deployment: the budget must hold across processes. */
const WORKER_PROCESSES = 2;
/** Each job asks for at most this many output tokens, so a call's TPM charge is known in advance. */
const MAX_OUTPUT_TOKENS = 200;
/** Roughly what one call is charged against TPM: the short prompt plus MAX_OUTPUT_TOKENS. */
const TOKENS_PER_CALL = 230;

/** What the vendor (the simulator) saw in one watched window. */
interface WindowCounts {
  calls: number;
  tokens: number;
  rateLimited: number;
}

/** One measured run: which limit binds, and whether the router's own limiter knows it. */
interface Run {
  limit: "rpm" | "tpm";
  limiterOn: boolean;
}

/**
 * Scenario 4: one deployment limited to R RPM (then T TPM) at the vendor, the simulator enforcing
 * it like OpenAI does (TPM counts input plus the requested output budget), with more work queued
 * than the limit allows, drained by two worker processes. Baseline: the router without the limit
 * in its config (its limiter does not bind); ours: the same limit in the router's config. Counted
 * at the simulator over one window shorter than the vendor's minute: calls admitted, tokens
 * charged, and 429s answered.
 */
export async function runLimiterFidelity(options: LimiterFidelityOptions): Promise<ScenarioResult> {
  const sizes = options.quick
    ? { rpm: 60, tpm: 20 * TOKENS_PER_CALL, windowSeconds: 3 }
    : { rpm: 600, tpm: 300 * TOKENS_PER_CALL, windowSeconds: 58 };
  const measure = (run: Run) => measureWindow(options, sizes, run);
  const off = {
    rpm: await measure({ limit: "rpm", limiterOn: false }),
    tpm: await measure({ limit: "tpm", limiterOn: false }),
  };
  const on = {
    rpm: await measure({ limit: "rpm", limiterOn: true }),
    tpm: await measure({ limit: "tpm", limiterOn: true }),
  };
  const figures = (side: typeof on) => ({
    rpmCalls: side.rpm.calls,
    rpm429s: side.rpm.rateLimited,
    tpmTokens: side.tpm.tokens,
    tpm429s: side.tpm.rateLimited,
  });
  return {
    scenario: "limiter-fidelity",
    description: `one deployment limited to R RPM, then T TPM, at the vendor; ${WORKER_PROCESSES} worker processes; router limiter off (baseline) vs on; counted by the simulator over one window`,
    params: {
      rpmLimit: sizes.rpm,
      tpmLimit: sizes.tpm,
      windowSeconds: sizes.windowSeconds,
      workerProcesses: WORKER_PROCESSES,
    },
    baseline: figures(off),
    ours: figures(on),
    ratios: {
      rpmCallsVsLimit: ratio(on.rpm.calls, sizes.rpm),
      tpmTokensVsLimit: ratio(on.tpm.tokens, sizes.tpm),
      rpmCallsVsLimitWithoutLimiter: ratio(off.rpm.calls, sizes.rpm),
      tpmTokensVsLimitWithoutLimiter: ratio(off.tpm.tokens, sizes.tpm),
    },
  };
}

async function measureWindow(
  options: LimiterFidelityOptions,
  sizes: { rpm: number; tpm: number; windowSeconds: number },
  run: Run,
): Promise<WindowCounts> {
  const vendorLimit = run.limit === "rpm" ? { rpm: sizes.rpm } : { tpm: sizes.tpm };
  const simulator = await startSimulator({ port: 0, latencyScale: 0, models: { [MODEL]: vendorLimit } });
  const keyPrefix = `bench-${randomUUID()}`;
  const configPath = writeBenchConfigFile(keyPrefix, (doc) => {
    // One deployment, nowhere else to go: what the limit allows is all that can go out.
    tierOf(doc, TIER).deployments = [{ model: MODEL, ...(run.limiterOn ? vendorLimit : {}) }];
    doc.jobs = { ...(doc.jobs as Record<string, unknown>), fallback_to_next_tier: false, max_attempts: 20 };
  });
  const config = benchConfig(simulator.url, keyPrefix);
  const redis = createRedis(options.redisUrl, "worker", "llmr-bench-submitter");
  const store = new JobStore(redis, new RedisKeys(keyPrefix), {
    retentionSeconds: config.jobs.retentionSeconds,
  });
  const queues = new TierQueues(redis, config);
  const workers: AppProcess[] = Array.from({ length: WORKER_PROCESSES }, (_, i) =>
    startWorkerChild({
      name: `worker-${i + 1}`,
      redisUrl: options.redisUrl,
      configPath,
      simulatorUrl: simulator.url,
      tier: TIER,
      cpuProfDir: options.cpuProfDir,
    }),
  );
  try {
    await waitForWorkers(queues, TIER, {
      classes: ["interactive"],
      processes: WORKER_PROCESSES,
      output: () => workers.map((worker) => worker.output()).join("\n"),
    });
    // Twice what the window allows, queued at once: the limit, not the demand, decides.
    const allowed = run.limit === "rpm" ? sizes.rpm : Math.ceil(sizes.tpm / TOKENS_PER_CALL);
    const before = countsOf(simulator);
    for (let i = 0; i < 2 * allowed; i += 50) {
      await Promise.all(
        Array.from({ length: Math.min(50, 2 * allowed - i) }, (_, j) => {
          const request = JobRequestSchema.parse({
            input: `Question ${i + j}: name a colour.`,
            tier: TIER,
            max_output_tokens: MAX_OUTPUT_TOKENS,
          });
          return submitJob({ config, store, queues }, "bench", request);
        }),
      );
    }
    // A fixed window on purpose: what is measured is how much goes out in it.
    await sleep(sizes.windowSeconds * 1_000);
    const after = countsOf(simulator);
    return {
      calls: after.calls - before.calls,
      tokens: round(after.tokens - before.tokens, 0),
      rateLimited: after.rateLimited - before.rateLimited,
    };
  } finally {
    await Promise.all(workers.map((worker) => worker.stop()));
    await queues.close();
    redis.disconnect();
    await simulator.close();
  }
}

/** Calls the vendor admitted, tokens it charged and 429s it answered so far. */
function countsOf(simulator: RunningSimulator): WindowCounts {
  const stats = simulator.stats();
  return {
    calls: stats.requests_by_outcome.ok ?? 0,
    tokens: stats.tokens_admitted_by_model[MODEL] ?? 0,
    rateLimited: stats.requests_by_outcome.rate_limited ?? 0,
  };
}
