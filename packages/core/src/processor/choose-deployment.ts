import type { ResolvedDeployment } from "@llmr/config";
import type { Job } from "bullmq";
import { DelayedError, RateLimitError } from "bullmq";
import type { JobRecord } from "../job-record.ts";
import type { Selection } from "../select-deployment.ts";
import { selectDeployment } from "../select-deployment.ts";
import { failRun } from "./fail-run.ts";
import type { RunPlan } from "./prepare-run.ts";
import type { ProcessorContext } from "./processor-context.ts";

/**
 * Longest single pause of a queue whose deployments are all out of budget; a longer wait is paused
 * in steps (each step re-asks the gates: one job fetched and one Lua call). BullMQ 6.7's
 * `Worker.close()` does not cut short a rate-limit pause that begins after it was called, so an
 * unbounded pause (a TPM window is a minute) could hold a draining worker past its grace period.
 */
const MAX_QUEUE_PAUSE_MS = 5_000;

/** Picks a deployment among `candidates` from `startIndex`, reporting the ones passed over. */
export type SelectDeployment = (
  candidates: readonly ResolvedDeployment[],
  startIndex: number,
) => Promise<Selection>;

/** The deployment this try calls, and how to pick another (a hedge's). */
export interface ChosenDeployment {
  selection: Extract<Selection, { kind: "selected" }>;
  select: SelectDeployment;
}

/**
 * Chooses the deployment of this try. When none can take the call now, the job waits without
 * spending a try: its whole queue pauses (at most `MAX_QUEUE_PAUSE_MS` at a time), or the job alone
 * is delayed; when none ever can, the job fails `no_capacity`. Waiting and failing end the run by
 * throwing the BullMQ error that says so.
 */
export async function chooseDeployment(
  ctx: ProcessorContext,
  job: Job,
  token: string | undefined,
  jobId: string,
  record: JobRecord,
  plan: RunPlan,
): Promise<ChosenDeployment> {
  const { deps, emit } = ctx;
  const { tier, working, deployments } = plan;
  // Each BullMQ try of this hop starts at the tier's next deployment (the fallback within a tier),
  // skipping deployments whose breaker is open or whose shared budget is spent.
  const estimatedTokens = working.route.input_tokens + record.request.max_output_tokens;
  const jobClass = record.job.class;
  const select = async (candidates: readonly ResolvedDeployment[], startIndex: number) => {
    const chosen = await selectDeployment(deps.gates, candidates, startIndex, {
      estimatedTokens,
      klass: jobClass,
    });
    if (chosen.skips.length > 0)
      emit({ type: "deployments_skipped", tier: tier.name, jobClass, skips: chosen.skips });
    for (const id of chosen.halfOpened) emit({ type: "breaker", deployment: id, change: "half_opened" });
    return chosen;
  };
  const selection = await select(deployments, job.attemptsMade);
  if (selection.kind === "wait") {
    if (!Number.isFinite(selection.waitMs)) {
      const message = `no deployment of tier "${tier.name}" can ever take this call: ${selection.skipped.join("; ")}`;
      return failRun(ctx, jobId, record, { type: "no_capacity", message });
    }
    emit({
      type: "waiting",
      jobId,
      tenant: record.tenant,
      tier: tier.name,
      jobClass,
      waitMs: selection.waitMs,
      reasons: selection.skipped,
    });
    // Every deployment is busy or cooling down: the job waits without failing or spending a try.
    // With no provider restriction every job of this queue is blocked alike, so the queue pauses;
    // a job restricted to some providers waits alone.
    if (record.route.requirements.providers === undefined) {
      await deps.queues
        .get(tier.name, record.job.class)
        .rateLimit(Math.min(selection.waitMs, MAX_QUEUE_PAUSE_MS));
      throw new RateLimitError();
    }
    await job.moveToDelayed(Date.now() + selection.waitMs, token);
    throw new DelayedError();
  }
  return { selection, select };
}
