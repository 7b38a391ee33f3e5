import type { IScaledObject } from "@kubernetes-models/keda/keda.sh/v1alpha1/ScaledObject";
import type { JobClass } from "@llmr/config";
import type { WindowGate } from "./scaler-window.ts";

/** What a trigger counts: one list (`wait` or `active`) of one class's queue with `concurrency` slots per pod. */
export interface TriggerMeaning {
  jobClass: JobClass;
  list: "wait" | "active";
  concurrency: number;
}

/** Only numbers, arithmetic, comparisons and `?:` may be left once the trigger names are replaced. */
const ARITHMETIC = /^[\d\s.+\-*/()<>=!?:]*$/;

/**
 * The replica count the HPA would ask for, given each trigger's list length. With
 * `scalingModifiers` KEDA feeds one composite metric: ceil(formula / target). Without, the HPA
 * takes the largest ceil(length / listLength) over the triggers.
 */
export function podsWanted(scaler: IScaledObject, lengths: Record<string, number>): number {
  const modifiers = scaler.spec.advanced?.scalingModifiers;
  if (modifiers?.formula) {
    return Math.ceil(evaluateFormula(modifiers.formula, lengths) / Number(modifiers.target));
  }
  return Math.max(
    0,
    ...scaler.spec.triggers.map((trigger) =>
      Math.ceil((lengths[trigger.name ?? ""] ?? 0) / Number(trigger.metadata.listLength ?? 5)),
    ),
  );
}

/**
 * Evaluates a KEDA formula (expr language) restricted to arithmetic and the ternary, which read
 * the same in JavaScript. Throws on a name that is no trigger or on anything else.
 */
export function evaluateFormula(formula: string, lengths: Record<string, number>): number {
  const substituted = formula.replace(/[A-Za-z_][A-Za-z0-9_]*/g, (identifier) => {
    const value = lengths[identifier];
    if (value === undefined) throw new Error(`formula names "${identifier}", which is no trigger`);
    return String(value);
  });
  if (!ARITHMETIC.test(substituted)) throw new Error(`formula is more than arithmetic: ${formula}`);
  // Safe: only digits, operators and parentheses are left (checked just above).
  return Number(new Function(`return (${substituted});`)());
}

/**
 * For each class, what a person sizing the tier by hand would ask: no work → no extra pod, one
 * pod's worth running → 1 pod, one pod's worth running and one waiting → 2, three waiting → 3.
 * With a batches.window gate that holds while the window is open; while it is closed the paused
 * workers start nothing, so waiting jobs ask for no pod and running ones keep theirs to finish.
 */
export function demandProblems(
  name: string,
  scaler: IScaledObject,
  meanings: Map<string, TriggerMeaning>,
  gate?: WindowGate,
): string[] {
  const problems: string[] = [];
  const zero = Object.fromEntries([...meanings.keys()].map((trigger) => [trigger, 0]));
  const classes = new Map([...meanings.values()].map((meaning) => [meaning.jobClass, meaning.concurrency]));
  const triggerFor = (jobClass: JobClass, list: "wait" | "active") =>
    [...meanings].find(([, meaning]) => meaning.jobClass === jobClass && meaning.list === list)?.[0] ?? "";
  const states = gate
    ? [
        { window: "open", value: gate.openValue },
        ...gate.closedValues.map((value) => ({ window: "closed", value })),
      ]
    : [{ window: undefined, value: 0 }];
  for (const [jobClass, concurrency] of classes) {
    for (const state of states) {
      const closed = state.window === "closed";
      const cases: { wait: number; active: number; pods: number }[] = [
        { wait: 0, active: 0, pods: 0 },
        { wait: 0, active: concurrency, pods: 1 },
        { wait: concurrency, active: concurrency, pods: closed ? 1 : 2 },
        { wait: 3 * concurrency, active: 0, pods: closed ? 0 : 3 },
      ];
      for (const { wait, active, pods } of cases) {
        const lengths = {
          ...zero,
          ...(gate ? { [gate.trigger]: state.value } : {}),
          [triggerFor(jobClass, "wait")]: wait,
          [triggerFor(jobClass, "active")]: active,
        };
        let wanted: number;
        try {
          wanted = podsWanted(scaler, lengths);
        } catch (error) {
          return [`${name}: ${error instanceof Error ? error.message : String(error)}`];
        }
        const when = state.window
          ? ` while batches.window is ${state.window} (${gate?.trigger} = ${state.value})`
          : "";
        if (wanted !== pods)
          problems.push(
            `${name}: with ${jobClass} ${active} running and ${wait} waiting (${concurrency} per pod)${when} it asks for ${wanted} pods, not ${pods}`,
          );
      }
    }
  }
  return problems;
}
