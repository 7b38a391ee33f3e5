import type { RouterConfig } from "@llmr/config";
import type { DemoJob, JobAttempt } from "./api-reads.ts";

/** One line of the CLI's `<items>.results.jsonl` (the batch results of CONTRACT.md). */
export interface ResultLine {
  custom_id: string;
  job_id: string;
  status: string;
  output_text: string | null;
  error: { type: string; message: string } | null;
  cost_usd: number;
}

/** One item: its result line and its job object. */
export interface ItemOutcome {
  result: ResultLine;
  job: DemoJob;
}

/** The report's figures (written as report.json; report.md says the same in words). */
export interface DemoFigures {
  items: number;
  succeeded: number;
  failed: number;
  failures: Array<{ custom_id: string; status: string; error: string }>;
  /** Jobs whose own attempts ran on more than one tier, with the tiers in order (a part's moves are its own). */
  escalations: Array<{ custom_id: string; tiers: string[] }>;
  /** Long documents summarized in parts: how many, their parts (every round), and parts that moved tiers. */
  mapReduce: { items: number; parts: number; partsEscalated: number };
  /** Items by the tier of their last attempt. */
  finalTiers: Record<string, number>;
  /** Provider calls by provider label (`simulated-openai` when the simulator answered). */
  attemptsByProvider: Record<string, number>;
  attempts: number;
  tokens: { input: number; output: number };
  /** What the router spent: every attempt of every job. */
  costUsd: number;
  capableEstimate: CapableEstimate;
  wallTimeMs: number;
}

/** The cost of sending every item straight to the top tier instead: an estimate (see `method`). */
export interface CapableEstimate {
  tier: string;
  model: string;
  pricePerMTokUsd: { input: number; output: number };
  costUsd: number;
  /** Items without any token usage (failed before an answer): priced at 0. */
  unpricedItems: number;
  method: string;
}

/**
 * The figures of a finished batch. Cost is summed over the jobs' attempts (failed and escalated
 * ones included), so it is what the router was billed, not only the answers kept.
 */
export function computeFigures(
  outcomes: readonly ItemOutcome[],
  config: RouterConfig,
  wallTimeMs: number,
): DemoFigures {
  const figures: DemoFigures = {
    items: outcomes.length,
    succeeded: 0,
    failed: 0,
    failures: [],
    escalations: [],
    mapReduce: { items: 0, parts: 0, partsEscalated: 0 },
    finalTiers: {},
    attemptsByProvider: {},
    attempts: 0,
    tokens: { input: 0, output: 0 },
    costUsd: 0,
    capableEstimate: capableEstimate(outcomes, config),
    wallTimeMs,
  };
  for (const { result, job } of outcomes) {
    if (result.status === "succeeded") figures.succeeded += 1;
    else {
      figures.failed += 1;
      figures.failures.push({
        custom_id: result.custom_id,
        status: result.status,
        error: result.error?.message ?? result.status,
      });
    }
    const tiers = tierPath(job);
    if (tiers.length > 1) figures.escalations.push({ custom_id: result.custom_id, tiers });
    const parts = partPaths(job);
    if (parts.size > 0) {
      figures.mapReduce.items += 1;
      figures.mapReduce.parts += parts.size;
      figures.mapReduce.partsEscalated += [...parts.values()].filter((path) => path.length > 1).length;
    }
    const last = tiers.at(-1) ?? job.tier ?? "none";
    figures.finalTiers[last] = (figures.finalTiers[last] ?? 0) + 1;
    for (const attempt of job.attempts) {
      figures.attempts += 1;
      figures.attemptsByProvider[attempt.provider] = (figures.attemptsByProvider[attempt.provider] ?? 0) + 1;
    }
    const usage = answerUsage(job);
    figures.tokens.input += usage?.input_tokens ?? 0;
    figures.tokens.output += usage?.output_tokens ?? 0;
    figures.costUsd += job.cost_usd;
  }
  return figures;
}

/** The tiers a job's own attempts ran on (not its parts'), in order, repeats of the same tier folded. */
export function tierPath(job: DemoJob): string[] {
  return foldTiers(job.attempts.filter((attempt) => !attempt.chunk));
}

/** Each part's tier path (map-reduce), by `round:index`. */
function partPaths(job: DemoJob): Map<string, string[]> {
  const byPart = new Map<string, JobAttempt[]>();
  for (const attempt of job.attempts) {
    if (!attempt.chunk) continue;
    const key = `${attempt.chunk.round}:${attempt.chunk.index}`;
    byPart.set(key, [...(byPart.get(key) ?? []), attempt]);
  }
  return new Map([...byPart].map(([key, attempts]) => [key, foldTiers(attempts)]));
}

function foldTiers(attempts: readonly JobAttempt[]): string[] {
  const tiers: string[] = [];
  for (const attempt of attempts) if (tiers.at(-1) !== attempt.tier) tiers.push(attempt.tier);
  return tiers;
}

/** The tokens of the item's answer: the kept result's, else the last attempt that got one. */
function answerUsage(job: DemoJob): { input_tokens: number; output_tokens: number } | undefined {
  if (job.result?.usage) return job.result.usage;
  return job.attempts.findLast((attempt) => attempt.usage)?.usage ?? undefined;
}

/**
 * The tokens one call on the top tier would have taken for the item: for a document summarized in
 * parts, the whole document (its first-round parts' last calls together, their small overlap and
 * part headers included) and the kept answer's output; otherwise the kept answer's usage.
 */
function singleCallUsage(job: DemoJob): { input_tokens: number; output_tokens: number } | undefined {
  const answer = answerUsage(job);
  const firstRound = new Map<number, JobAttempt>();
  for (const attempt of job.attempts) {
    if (attempt.chunk?.round === 1 && attempt.usage) firstRound.set(attempt.chunk.index, attempt);
  }
  if (firstRound.size === 0) return answer;
  let input = 0;
  for (const attempt of firstRound.values()) input += attempt.usage?.input_tokens ?? 0;
  return { input_tokens: input, output_tokens: answer?.output_tokens ?? 0 };
}

function capableEstimate(outcomes: readonly ItemOutcome[], config: RouterConfig): CapableEstimate {
  const top = config.tiers.at(-1);
  const model = top?.deployments[0]?.model;
  if (!top || !model) throw new Error(`${config.source}: no tier with a deployment to price the estimate`);
  const price = model.pricePerMTokUsd;
  let costUsd = 0;
  let unpricedItems = 0;
  for (const { job } of outcomes) {
    const usage = singleCallUsage(job);
    if (!usage) unpricedItems += 1;
    else costUsd += (usage.input_tokens * price.input + usage.output_tokens * price.output) / 1_000_000;
  }
  return {
    tier: top.name,
    model: model.name,
    pricePerMTokUsd: price,
    costUsd,
    unpricedItems,
    method:
      `each item's input tokens (for a document summarized in parts, the whole document: its first-round parts' inputs together) ` +
      `and its answer's output tokens (as the model that answered counted them) ` +
      `priced at ${model.name}'s list price ($${price.input} in / $${price.output} out per 1M tokens), ` +
      `the first deployment of the top tier "${top.name}" in ${config.source}; one call per item, ` +
      `assuming the capable model would tokenize alike and answer at the same length`,
  };
}
