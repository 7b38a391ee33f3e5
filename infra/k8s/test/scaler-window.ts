import type { IScaledObject } from "@kubernetes-models/keda/keda.sh/v1alpha1/ScaledObject";
import type { RouterConfig } from "@llmr/config";
import type { WorkerRole } from "./worker-checks.ts";

type Trigger = IScaledObject["spec"]["triggers"][number];

/**
 * A KEDA `cron` trigger that tells a batch scaler whether `batches.window` is open. Its metric is
 * `desiredReplicas` inside the schedule and 1 outside (KEDA's cron scaler; a later KEDA reporting
 * 0 outside must not change the answer), so the formula can tell them apart when desiredReplicas > 1.
 */
export interface WindowGate {
  trigger: string;
  openValue: number;
  closedValues: readonly number[];
}

/** What KEDA's cron scaler reports outside its schedule (1 today; 0 checked as well). */
const CLOSED_VALUES = [1, 0] as const;

/** A daily time (minutes after local midnight) as a cron schedule, `M H * * *`. */
export const dailyCron = (minutes: number): string => `${minutes % 60} ${Math.floor(minutes / 60)} * * *`;

const clock = (minutes: number) =>
  `${String(Math.floor(minutes / 60)).padStart(2, "0")}:${String(minutes % 60).padStart(2, "0")}`;

const sameCron = (a: string | undefined, b: string) => (a ?? "").trim().split(/\s+/).join(" ") === b;

/**
 * The scaler of batch-only pods follows the router config: with `batches.window`, the batch
 * workers take nothing outside it (paused), so scaling on queue depth alone would start pods that
 * sit idle all day; exactly one cron trigger on the window's own schedule must gate the formula
 * (infra/k8s/README.md shows it; scaler-demand.ts checks what the formula then asks for). Without a
 * window no schedule may hold batch work the router would run, and interactive work is never held.
 */
export function windowGateProblems(
  name: string,
  scaler: IScaledObject,
  role: WorkerRole,
  config: RouterConfig,
): { problems: string[]; gate?: WindowGate } {
  const crons = scaler.spec.triggers.filter((trigger) => trigger.type === "cron");
  const window = config.batches.window;
  const batchOnly = role.classes.every((jobClass) => jobClass === "batch");
  if (!batchOnly || !window)
    return {
      problems: crons.map(
        (trigger) =>
          `${name}: cron trigger ${trigger.name} holds ${batchOnly ? "batch work on a schedule, but config/router.yaml has no batches.window (batch work runs at any time)" : "interactive work on a schedule (interactive work is never held)"}`,
      ),
    };
  const wanted = {
    timezone: window.timeZone,
    start: dailyCron(window.startMinutes),
    end: dailyCron(window.endMinutes),
  };
  const described = `batches.window ${clock(window.startMinutes)}-${clock(window.endMinutes)} ${window.timeZone}`;
  const [cron, ...extra] = crons;
  if (!cron || extra.length > 0)
    return {
      problems: [
        `${name}: config/router.yaml sets ${described}, outside which batch workers take nothing; gate this scaler with exactly one cron trigger (timezone ${wanted.timezone}, start "${wanted.start}", end "${wanted.end}", desiredReplicas "2") and the formula of infra/k8s/README.md, not ${crons.length}`,
      ],
    };
  return cronProblems(name, cron, wanted, described);
}

function cronProblems(
  name: string,
  cron: Trigger,
  wanted: { timezone: string; start: string; end: string },
  described: string,
): { problems: string[]; gate?: WindowGate } {
  const problems: string[] = [];
  const { timezone, start, end, desiredReplicas } = cron.metadata;
  if (timezone !== wanted.timezone || !sameCron(start, wanted.start) || !sameCron(end, wanted.end))
    problems.push(
      `${name}: cron trigger ${cron.name} runs ${start}–${end} ${timezone}, not config/router.yaml's ${described} (timezone ${wanted.timezone}, start "${wanted.start}", end "${wanted.end}")`,
    );
  const openValue = Number(desiredReplicas);
  // Outside its schedule KEDA reports 1: inside, the gate must report more, or no formula can tell.
  if (!Number.isInteger(openValue) || openValue < 2)
    problems.push(
      `${name}: cron trigger ${cron.name} needs desiredReplicas of 2 or more (outside its schedule KEDA reports 1)`,
    );
  if (!cron.name) problems.push(`${name}: every trigger needs a name (the formula refers to it)`);
  if (problems.length > 0) return { problems };
  return { problems, gate: { trigger: cron.name ?? "", openValue, closedValues: CLOSED_VALUES } };
}
