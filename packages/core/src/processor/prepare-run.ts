import type { ResolvedDeployment, ResolvedTask, ResolvedTier, RouterConfig } from "@llmr/config";
import type { Job } from "bullmq";
import { DelayedError, UnrecoverableError, WaitingChildrenError } from "bullmq";
import { deploymentsFor } from "../deployments-for.ts";
import type { JobRecord } from "../job-record.ts";
import type { SplitFacts } from "../map-reduce/map-reduce-step.ts";
import { mapReduceStep } from "../map-reduce/map-reduce-step.ts";
import { failRun } from "./fail-run.ts";
import type { ProcessorContext } from "./processor-context.ts";

/** What a run's call is for: the job's task and tier, the record it works from and the tier's deployments. */
export interface RunPlan {
  task: ResolvedTask;
  tier: ResolvedTier;
  /** The record the call is built from: the job's, or a map-reduce's combining call. */
  working: JobRecord;
  /** The tier's deployments this job may use, in rotation order. */
  deployments: ResolvedDeployment[];
}

/**
 * Resolves the job's task and tier from the config, runs a long input's map-reduce step first (its
 * parts are child jobs; this run waits for them, or goes on to combine their answers) and lists the
 * deployments. Throws the BullMQ error that parks the job while its parts run, or fails it.
 */
export async function prepareRun(
  ctx: ProcessorContext,
  job: Job,
  token: string | undefined,
  jobId: string,
  record: JobRecord,
): Promise<RunPlan> {
  const { deps, emit, now } = ctx;
  const task = findTask(deps.config, record.job.task);
  const tier = findTier(deps.config, record.job.tier);
  // A long input of a map-reduce task: its parts run as child jobs first; this job's own call
  // then combines their answers (`working` carries those messages; the stored request is kept).
  let working = record;
  if (task.mapReduce && !record.part_of) {
    const onSplit = (split: SplitFacts) => emit({ type: "split", jobId, tenant: record.tenant, ...split });
    const step = await mapReduceStep({ ...deps, now, onSplit }, job, token, record, task, tier);
    if (step.kind === "waiting") throw new WaitingChildrenError();
    if (step.kind === "later") throw new DelayedError();
    if (step.kind === "failed") return failRun(ctx, jobId, record, step.error);
    if (step.kind === "reduce") working = step.record;
  }
  const deployments = deploymentsFor(tier, working.route);
  if (deployments.length === 0) {
    throw new UnrecoverableError(`tier ${tier.name} has no deployment this job can use (config changed?)`);
  }
  return { task, tier, working, deployments };
}

function findTier(config: RouterConfig, name: string): ResolvedTier {
  const tier = config.tiers.find((candidate) => candidate.name === name);
  if (!tier)
    throw new UnrecoverableError(`unknown tier "${name}" (config changed since the job was queued?)`);
  return tier;
}

function findTask(config: RouterConfig, name: string): ResolvedTask {
  const task = config.tasks.get(name);
  if (!task)
    throw new UnrecoverableError(`unknown task "${name}" (config changed since the job was queued?)`);
  return task;
}
