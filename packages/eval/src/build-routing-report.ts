/**
 * From finished jobs to the routing report, without I/O: grades every policy's jobs by the records,
 * relates each policy to always-cheap and always-strong, computes random routing at cheap-first's
 * cost, the sweep curve, and notes what the job objects lacked.
 */
import type { EvalConfig } from "./eval-config.ts";
import { gradeJob } from "./grade.ts";
import type { FinishedJob } from "./job-client.ts";
import { gapRecovered, type RunSummary, randomAtEqualCost, rocAuc, summarizeRun } from "./metrics.ts";
import { type ReplayRecord, recordedAccuracy } from "./replay-dataset.ts";
import { headline, type PolicyResult, type RoutingEvalReport, type SweepPoint } from "./routing-report.ts";

/** A policy as run: its name and what its jobs asked for. */
export interface PolicyPlan {
  name: string;
  request: { tier?: string; max_tier?: string };
}

export interface RoutingRuns {
  records: readonly ReplayRecord[];
  evalConfig: EvalConfig;
  replayFiles: string[];
  /** The policies run, cheap-first first, then always-cheap … always-strong. */
  plans: readonly PolicyPlan[];
  /** Each plan's jobs, in record order. */
  jobsByPolicy: ReadonlyMap<string, readonly FinishedJob[]>;
  /** The threshold cheap-first ran at (null: the router's default). */
  minConfidence: number | null;
  sweep: ReadonlyArray<{ minConfidence: number; jobs: readonly FinishedJob[] }>;
  seed: number;
  startedAtMs: number;
  finishedAtMs: number;
}

/** The name of the fixed policy on tier `index` of `count`. */
export function alwaysPolicyName(index: number, count: number, tierName: string): string {
  if (index === 0) return "always-cheap";
  if (index === count - 1) return "always-strong";
  return `always-${tierName}`;
}

export function buildRoutingReport(runs: RoutingRuns): RoutingEvalReport {
  const { records, evalConfig } = runs;
  const grade = (jobs: readonly FinishedJob[]) =>
    jobs.map((job, index) => gradeJob(records[index] as ReplayRecord, job));
  const graded = new Map([...runs.jobsByPolicy].map(([name, jobs]) => [name, grade(jobs)]));
  const cheapItems = graded.get("always-cheap") ?? [];
  // With a single tier, the cheapest is also the strongest.
  const strongItems = graded.get("always-strong") ?? cheapItems;
  const cheapSummary = summarizeRun(cheapItems);
  const strongSummary = summarizeRun(strongItems);
  const costShareOfStrong = (costUsd: number) =>
    strongSummary.costUsd === 0 ? 0 : costUsd / strongSummary.costUsd;
  const gap = (accuracy: number) => gapRecovered(accuracy, cheapSummary.accuracy, strongSummary.accuracy);
  const relative = (summary: RunSummary) => ({
    costShareOfStrong: costShareOfStrong(summary.costUsd),
    gapRecovered: gap(summary.accuracy),
  });

  const policies: PolicyResult[] = runs.plans.map((plan) => {
    const summary = summarizeRun(graded.get(plan.name) ?? []);
    return {
      name: plan.name,
      request: plan.request,
      minConfidence: plan.name === "cheap-first" ? runs.minConfidence : null,
      summary,
      ...relative(summary),
    };
  });
  const cheapFirst = policies.find((policy) => policy.name === "cheap-first") as PolicyResult;
  const random = randomAtEqualCost({
    cheap: cheapItems,
    strong: strongItems,
    targetCostUsd: cheapFirst.summary.costUsd,
    seed: runs.seed,
  });
  const sweep: SweepPoint[] = runs.sweep.map(({ minConfidence, jobs }) => {
    const summary = summarizeRun(grade(jobs));
    return { minConfidence, summary, ...relative(summary) };
  });

  return {
    startedAt: new Date(runs.startedAtMs).toISOString(),
    durationS: (runs.finishedAtMs - runs.startedAtMs) / 1000,
    replayFiles: runs.replayFiles,
    records: records.length,
    tiers: evalConfig.tiers.map((tier) => ({
      name: tier.name,
      model: tier.model,
      price_per_mtok_usd: tier.pricePerMTokUsd,
    })),
    tasks: [...new Set(records.map((record) => record.task))],
    recordedAccuracy: Object.fromEntries(
      evalConfig.tiers.map((tier) => [tier.model, recordedAccuracy(records, tier.model)]),
    ),
    policies,
    random: {
      ...random,
      costShareOfStrong: costShareOfStrong(random.expectedCostUsd),
      gapRecovered: gap(random.expectedAccuracy),
    },
    sweep,
    cheapConfidence: confidenceQuality(runs.jobsByPolicy.get("always-cheap") ?? [], records, evalConfig),
    jobObjectGaps: jobObjectGaps(runs.jobsByPolicy.get("cheap-first") ?? []),
    cheapFirstItems: graded.get("cheap-first") ?? [],
    headline: headline(cheapFirst),
  };
}

/**
 * How well the router's confidence in the cheapest model's answers (first attempt of always-cheap)
 * predicts the recorded verdict: the quantity every threshold trades on. Null when attempts carry no
 * confidence.
 */
function confidenceQuality(
  jobs: readonly FinishedJob[],
  records: readonly ReplayRecord[],
  evalConfig: EvalConfig,
): RoutingEvalReport["cheapConfidence"] {
  const model = evalConfig.tiers[0]?.model ?? "";
  const scored: Array<{ score: number; positive: boolean }> = [];
  const signals: Record<string, number> = {};
  jobs.forEach((job, index) => {
    const attempt = job.attempts[0];
    if (typeof attempt?.confidence !== "number") return;
    scored.push({ score: attempt.confidence, positive: records[index]?.responses[model]?.correct === true });
    const signal = attempt.confidence_signal ?? "unknown";
    signals[signal] = (signals[signal] ?? 0) + 1;
  });
  if (scored.length === 0) return null;
  const mean = (items: typeof scored) =>
    items.length === 0 ? null : items.reduce((total, item) => total + item.score, 0) / items.length;
  return {
    model,
    scored: scored.length,
    signals,
    rocAuc: rocAuc(scored),
    meanWhenRight: mean(scored.filter((item) => item.positive)),
    meanWhenWrong: mean(scored.filter((item) => !item.positive)),
  };
}

/** What the evaluation would use that the job objects did not carry. */
function jobObjectGaps(jobs: readonly FinishedJob[]): string[] {
  const gaps: string[] = [];
  const attempts = jobs.flatMap((job) => job.attempts);
  if (attempts.length > 0 && attempts.every((attempt) => attempt.confidence === undefined)) {
    gaps.push(
      "attempts[] carry no confidence (only result.confidence, of the final answer): a threshold curve cannot be derived from one run, so the sweep re-runs cheap-first per threshold",
    );
  }
  return gaps;
}
