import type { ResolvedDeployment } from "@llmr/config";
import type { BuiltRequest } from "../build-completion-request.ts";
import { buildCompletionRequest } from "../build-completion-request.ts";
import type { CallOutcome } from "../call-provider.ts";
import { callProvider } from "../call-provider.ts";
import type { HedgeOutcome } from "../hedged-call.ts";
import { runWithHedge } from "../hedged-call.ts";
import type { JobRecord } from "../job-record.ts";
import { recordDispatch } from "../record-dispatch.ts";
import type { Selection } from "../select-deployment.ts";
import type { ChosenDeployment } from "./choose-deployment.ts";
import type { RunPlan } from "./prepare-run.ts";
import type { ProcessorContext } from "./processor-context.ts";

/** How the run's call went: the call the job goes on with and, with a hedge, the other one. */
export interface CallRun {
  raced: HedgeOutcome;
  /** The winning call's deployment. */
  deployment: ResolvedDeployment;
  call: CallOutcome;
  /** The request sent to the winning deployment. */
  built: BuiltRequest;
  callStartedAt: Date;
  finishedAt: Date;
  /** The call was aborted because the worker is shutting down (the job goes back to the queue). */
  shutdownAbort: boolean;
}

/**
 * Makes the run's provider call within the tier's time limits (never past the job's deadline):
 * reports it `slow` at the soft limit and, when the tier hedges, races a second deployment; then
 * tells the breakers and budgets how each call went.
 */
export async function runCall(
  ctx: ProcessorContext,
  jobId: string,
  record: JobRecord,
  plan: RunPlan,
  chosen: ChosenDeployment,
  deadlineAt: number,
  startedAt: Date,
  jobSignal: AbortSignal | undefined,
): Promise<CallRun> {
  const { deps, emit, now, publish } = ctx;
  const { task, tier, working, deployments } = plan;
  const { selection, select } = chosen;
  let deployment = selection.deployment;
  const limits = tier.timeLimits[record.job.class];
  // The call never outlives the job's deadline.
  const hardMs = Math.max(
    1,
    Math.min(
      record.request.timeouts.hard_ms ?? limits.hardMs,
      limits.hardMs,
      deadlineAt - startedAt.getTime(),
    ),
  );
  const softMs = Math.min(record.request.timeouts.soft_ms ?? limits.softMs, hardMs);
  const planFor = (target: ResolvedDeployment) => {
    const built = buildCompletionRequest(working.request, task, target);
    return {
      built,
      plan: {
        deployment: target,
        run: (signal: AbortSignal) =>
          callProvider(
            deps.providers.for(target),
            target,
            built.request,
            hardMs,
            jobSignal ? AbortSignal.any([jobSignal, signal]) : signal,
          ),
      },
    };
  };
  const primary = planFor(deployment);
  const builtFor = new Map([[deployment, primary.built]]);
  let hedgeSelection: Selection | undefined;
  const raced = await runWithHedge({
    primary: primary.plan,
    softMs,
    now,
    onSoftLimit: () => {
      const elapsedMs = now().getTime() - startedAt.getTime();
      emit({
        type: "slow",
        jobId,
        tenant: record.tenant,
        tier: tier.name,
        deployment: deployment.id,
        elapsedMs,
      });
      const slow = {
        tier: tier.name,
        deployment: deployment.id,
        elapsed_ms: elapsedMs,
        soft_limit_ms: softMs,
      };
      void publish(jobId, "slow", slow);
    },
    // The tier hedges: a second deployment (breaker and budget permitting) races the first.
    startHedge: tier.hedge
      ? async () => {
          const others = deployments.filter((candidate) => candidate !== deployment);
          if (others.length === 0) return undefined;
          hedgeSelection = await select(others, 0);
          if (hedgeSelection.kind !== "selected") return undefined;
          const hedge = planFor(hedgeSelection.deployment);
          builtFor.set(hedgeSelection.deployment, hedge.built);
          return hedge.plan;
        }
      : undefined,
  });
  // The job goes on with the winning call; a hedge's other call is recorded as its own attempt.
  deployment = raced.winner.deployment;
  const call: CallOutcome = raced.winner.call;
  const built = builtFor.get(deployment) ?? primary.built;
  const selectionFor = (target: ResolvedDeployment) =>
    target === selection.deployment
      ? selection
      : (hedgeSelection as Extract<Selection, { kind: "selected" }>);
  const finishedAt = raced.winner.finishedAt;
  const callStartedAt = raced.winner.startedAt;
  const shutdownAbort = !call.ok && call.outcome === "cancelled" && (deps.isShuttingDown?.() ?? false);
  if (deps.gates) {
    for (const finished of [raced.winner, raced.other]) {
      if (!finished) continue;
      const target = finished.deployment;
      for (const change of await recordDispatch(deps.gates, target, selectionFor(target), finished.call)) {
        emit({ type: "breaker", deployment: target.id, change });
      }
    }
  }
  return { raced, deployment, call, built, callStartedAt, finishedAt, shutdownAbort };
}
