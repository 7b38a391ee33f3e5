/**
 * The routing evaluation: replays recorded answers through the real system (Redis, the simulator in
 * replay mode, the API and the worker as processes), runs every record under each policy over HTTP,
 * grades the final answers by the recorded verdicts, and computes the report.
 *
 * Policies: cheap-first (the router's own routing from the cheapest tier), always-<tier> for every
 * tier (`tier` + `max_tier` pinned; the cheapest is always-cheap, the top always-strong), random
 * routing at cheap-first's cost (computed from the two fixed policies' outcomes), and cheap-first
 * again for each threshold of the sweep (new router processes, as the threshold is config).
 */
import { randomUUID } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startRedis } from "@llmr/testing";
import { alwaysPolicyName, buildRoutingReport, type PolicyPlan } from "./build-routing-report.ts";
import type { EvalConfig } from "./eval-config.ts";
import { EvaluationError } from "./evaluation-error.ts";
import { type FinishedJob, type JobSubmission, runJobs } from "./job-client.ts";
import { type ReplayRecord, readReplayRecords } from "./replay-dataset.ts";
import { routerConfigDocument, writeRouterConfig } from "./router-config.ts";
import { type RouterProcesses, startRouterProcesses, startSimulatorProcess } from "./router-processes.ts";
import type { RoutingEvalReport } from "./routing-report.ts";

export interface RoutingEvalOptions {
  replayFiles: string[];
  evalConfig: EvalConfig;
  /** Only the first N records. @defaultValue all */
  limit?: number;
  /** Jobs in flight. @defaultValue the eval config's `concurrency` */
  concurrency?: number;
  /** Seed of the random baseline. @defaultValue the eval config's `seed` */
  seed?: number;
  /** Thresholds to re-run cheap-first at; [] for none. @defaultValue the eval config's `sweep` */
  sweep?: number[];
  /** An existing Redis; otherwise one is started (`startRedis`: REDIS_URL, Docker or redis-server). */
  redisUrl?: string;
  /** Prefix of every Redis key of the run. @defaultValue `llmr-eval-<uuid>` */
  keyPrefix?: string;
  /** Progress lines (which run, how far); packages don't print. */
  onProgress?: (line: string) => void;
}

export async function runRoutingEval(options: RoutingEvalOptions): Promise<RoutingEvalReport> {
  const started = Date.now();
  const progress = options.onProgress ?? (() => undefined);
  const { evalConfig } = options;
  const concurrency = options.concurrency ?? evalConfig.concurrency;
  const keyPrefix = options.keyPrefix ?? `llmr-eval-${randomUUID()}`;
  const all = await readReplayRecords(options.replayFiles);
  const records = options.limit === undefined ? all : all.slice(0, options.limit);
  if (records.length === 0) throw new EvaluationError("no records to evaluate");
  checkTierModelsAnswered(records, evalConfig);
  const tasks = [...new Set(records.map((record) => record.task))];
  const cheapest = evalConfig.tiers[0] as EvalConfig["tiers"][number];
  const baseThreshold = thresholdOf(evalConfig, tasks);

  const redis = options.redisUrl
    ? { url: options.redisUrl, stop: async () => undefined }
    : await startRedis({ onInfo: progress });
  const dir = await mkdtemp(join(tmpdir(), "llmr-eval-"));
  const cleanups: Array<() => Promise<void>> = [redis.stop, () => rm(dir, { recursive: true, force: true })];
  try {
    const simulator = await startSimulatorProcess({ replayFiles: options.replayFiles, latencyScale: 0 });
    cleanups.unshift(simulator.stop);
    progress(`simulator replaying ${options.replayFiles.join(", ")} at ${simulator.url}`);

    const withRouter = async <T>(
      name: string,
      minConfidence: number | undefined,
      use: (router: RouterProcesses) => Promise<T>,
    ) => {
      const document = routerConfigDocument({
        evalConfig,
        tasks,
        simulatorUrl: simulator.url,
        keyPrefix: `${keyPrefix}-${name}`,
        minConfidence,
        workerConcurrency: concurrency,
      });
      const configPath = await writeRouterConfig(dir, name, document);
      const router = await startRouterProcesses({
        redisUrl: redis.url,
        simulatorUrl: simulator.url,
        configPath,
      });
      try {
        // One job first, not counted: the worker may still be starting, which is no routing latency.
        await runJobs(
          router,
          [submission(records[0] as ReplayRecord, { tier: cheapest.name, max_tier: cheapest.name })],
          {
            concurrency: 1,
          },
        );
        return await use(router);
      } finally {
        await router.stop();
      }
    };

    const runPolicy = async (router: RouterProcesses, plan: PolicyPlan, label: string) => {
      const started = Date.now();
      const jobs = await runJobs(
        router,
        records.map((record) => submission(record, plan.request)),
        {
          concurrency,
          onFinished: (done, total) => {
            if (done % 200 === 0 || done === total) progress(`${label}: ${done}/${total}`);
          },
        },
      );
      progress(`${label}: done in ${((Date.now() - started) / 1000).toFixed(1)} s`);
      return jobs;
    };

    const plans: PolicyPlan[] = [
      { name: "cheap-first", request: {} },
      ...evalConfig.tiers.map((tier, index, tiers) => ({
        name: alwaysPolicyName(index, tiers.length, tier.name),
        request: { tier: tier.name, max_tier: tier.name },
      })),
    ];
    const jobsByPolicy = new Map<string, FinishedJob[]>();
    await withRouter("main", undefined, async (router) => {
      for (const plan of plans) jobsByPolicy.set(plan.name, await runPolicy(router, plan, plan.name));
    });

    const sweepJobs: Array<{ minConfidence: number; jobs: FinishedJob[] }> = [];
    for (const minConfidence of options.sweep ?? evalConfig.sweep) {
      const name = `sweep-${minConfidence}`;
      const jobs = await withRouter(name, minConfidence, (router) =>
        runPolicy(
          router,
          { name: "cheap-first", request: {} },
          `cheap-first at min_confidence ${minConfidence}`,
        ),
      );
      sweepJobs.push({ minConfidence, jobs });
    }

    return buildRoutingReport({
      records,
      evalConfig,
      replayFiles: options.replayFiles,
      plans,
      jobsByPolicy,
      minConfidence: baseThreshold ?? null,
      sweep: sweepJobs,
      seed: options.seed ?? evalConfig.seed,
      startedAtMs: started,
      finishedAtMs: Date.now(),
    });
  } finally {
    for (const cleanup of cleanups) await cleanup().catch(() => undefined);
  }
}

function submission(record: ReplayRecord, pin: { tier?: string; max_tier?: string }): JobSubmission {
  return { messages: record.messages, task: record.task, ...pin };
}

/** Every tier model must have answered every record: a missing answer could not be graded. */
function checkTierModelsAnswered(records: readonly ReplayRecord[], evalConfig: EvalConfig): void {
  for (const tier of evalConfig.tiers) {
    const missing = records.find((record) => !(tier.model in record.responses));
    if (missing) {
      throw new EvaluationError(
        `record ${missing.id} has no recorded answer of ${tier.model} (tier ${tier.name}); it has: ${Object.keys(missing.responses).join(", ")}`,
      );
    }
  }
}

/** The threshold the eval config sets for the records' tasks, when it sets one and the same for all. */
function thresholdOf(evalConfig: EvalConfig, tasks: readonly string[]): number | undefined {
  const values = new Set(
    tasks.map((task) => {
      const escalation = evalConfig.taskSettings(task).escalation;
      const value =
        typeof escalation === "object" && escalation !== null
          ? (escalation as Record<string, unknown>).min_confidence
          : undefined;
      return typeof value === "number" ? value : undefined;
    }),
  );
  return values.size === 1 ? [...values][0] : undefined;
}
