import type { ResolvedDeployment } from "@llmr/config";
import type { CallOutcome } from "./call-provider.ts";

/** One provider call ready to go: `run` must end (abort) when `signal` aborts. */
export interface CallPlan {
  deployment: ResolvedDeployment;
  run: (signal: AbortSignal) => Promise<CallOutcome>;
}

export interface FinishedCall {
  deployment: ResolvedDeployment;
  call: CallOutcome;
  startedAt: Date;
  finishedAt: Date;
}

export interface HedgeOutcome {
  /** The call whose answer the job goes on with (the first successful one, else the last to end). */
  winner: FinishedCall;
  /** The other call, when a hedge was started: aborted after losing, or failed first. */
  other: FinishedCall | undefined;
}

/**
 * Runs `primary`; if it has not answered by the soft limit, reports it (`onSoftLimit`) and, when
 * `startHedge` offers a second deployment, races a hedged call there. The first successful answer
 * wins and the other call is aborted (its socket closes); if the first to end failed, the other
 * still gets its chance. Without a hedge this is just the primary call.
 */
export async function runWithHedge(options: {
  primary: CallPlan;
  softMs: number;
  onSoftLimit: () => void;
  startHedge: (() => Promise<CallPlan | undefined>) | undefined;
  now: () => Date;
}): Promise<HedgeOutcome> {
  const { primary, now } = options;
  const start = (plan: CallPlan) => {
    const controller = new AbortController();
    const startedAt = now();
    const done = plan
      .run(controller.signal)
      .then((call): FinishedCall => ({ deployment: plan.deployment, call, startedAt, finishedAt: now() }));
    return { controller, done };
  };

  const first = start(primary);
  let timer: NodeJS.Timeout | undefined;
  const softLimit = new Promise<"soft">((resolve) => {
    timer = setTimeout(() => resolve("soft"), options.softMs);
  });
  const early = await Promise.race([first.done, softLimit]);
  clearTimeout(timer);
  if (early !== "soft") return { winner: early, other: undefined };

  options.onSoftLimit();
  const plan = options.startHedge ? await options.startHedge() : undefined;
  if (!plan) return { winner: await first.done, other: undefined };

  const second = start(plan);
  const tagged = [first.done.then((r) => ({ r, i: 0 })), second.done.then((r) => ({ r, i: 1 }))];
  const runs = [first, second];
  const { r: ended, i } = await Promise.race(tagged);
  const rest = runs[1 - i] as (typeof runs)[number];
  if (ended.call.ok) {
    rest.controller.abort();
    return { winner: ended, other: await rest.done };
  }
  // The first to end failed: the other call may still answer.
  const later = await rest.done;
  return { winner: later, other: ended };
}
