import type { IScaledObject } from "@kubernetes-models/keda/keda.sh/v1alpha1/ScaledObject";
import type { ITriggerAuthentication } from "@kubernetes-models/keda/keda.sh/v1alpha1/TriggerAuthentication";
import type { JobClass, RouterConfig } from "@llmr/config";
import { tierJobOptions, tierQueueName } from "@llmr/core";
import { QueueKeys } from "bullmq";
import type { ManifestSet } from "./manifest-set.ts";
import { objectsOfKind } from "./manifest-set.ts";
import { resolveRouterConfig, routerConfigText } from "./repo-facts.ts";
import type { TriggerMeaning } from "./scaler-demand.ts";
import { demandProblems } from "./scaler-demand.ts";
import { windowGateProblems } from "./scaler-window.ts";
import type { WorkerRole } from "./worker-checks.ts";
import { workerRoles } from "./worker-checks.ts";
import { deploymentName, templateValues } from "./workload-helpers.ts";

/** The BullMQ lists KEDA reads per queue: jobs ready to run, and jobs being run. */
export type QueueList = "wait" | "active";

/** The Redis key of a BullMQ list, exactly as BullMQ names it (prefix from the router config). */
export function queueListKey(
  config: RouterConfig,
  tier: string,
  jobClass: JobClass,
  list: QueueList,
): string {
  return new QueueKeys(config.redis.keyPrefix).toKey(tierQueueName(tier, jobClass), list);
}

/**
 * Each worker Deployment has one ScaledObject whose triggers read exactly its queues' real keys,
 * and whose formula asks for the pods the work needs (batch pods: only while batches.window is
 * open, when the config has one); interactive pods never scale to zero; scale-down lets every
 * drain finish.
 */
export function scalerProblems(set: ManifestSet): string[] {
  const problems: string[] = [];
  let config: RouterConfig;
  try {
    config = resolveRouterConfig(routerConfigText(set));
  } catch {
    return []; // workerProblems reports the broken config
  }
  const scalers = objectsOfKind<IScaledObject>(set, "ScaledObject").map(({ doc }) => doc);
  const auths = new Set(
    objectsOfKind<ITriggerAuthentication>(set, "TriggerAuthentication").map(({ doc }) => doc.metadata?.name),
  );
  const roles = workerRoles(set, config);
  for (const scaler of scalers) {
    const target = scaler.spec.scaleTargetRef;
    if (
      !roles.some((role) => deploymentName(role.deployment) === target.name) ||
      (target.kind ?? "Deployment") !== "Deployment"
    )
      problems.push(
        `ScaledObject ${scaler.metadata?.name}: scales ${target.kind ?? "Deployment"} ${target.name}, which is no worker Deployment`,
      );
  }
  for (const role of roles) {
    const name = deploymentName(role.deployment);
    const mine = scalers.filter((scaler) => scaler.spec.scaleTargetRef.name === name);
    if (mine.length !== 1)
      problems.push(`Deployment ${name}: ${mine.length} ScaledObjects scale it (want exactly 1)`);
    for (const scaler of mine) problems.push(...oneScalerProblems(scaler, role, config, auths));
  }
  // The list scaler cannot see BullMQ's `:prioritized` sorted set, nor LIFO order matter: neither is used.
  const options = tierJobOptions(config);
  if (options.priority !== undefined || options.lifo)
    problems.push(
      "tier queues use BullMQ priorities or LIFO: those jobs are invisible to the redis list scaler",
    );
  for (const { doc } of objectsOfKind<ITriggerAuthentication>(set, "TriggerAuthentication")) {
    const keys = templateValues(set);
    for (const ref of doc.spec?.secretTargetRef ?? []) {
      if (ref.name !== set.secretTemplate.doc.metadata.name || !(ref.key in keys))
        problems.push(
          `TriggerAuthentication ${doc.metadata?.name}: reads ${ref.name}/${ref.key}, which the Secret template lacks`,
        );
    }
  }
  return problems;
}

function oneScalerProblems(
  scaler: IScaledObject,
  role: WorkerRole,
  config: RouterConfig,
  auths: Set<string | undefined>,
): string[] {
  const problems: string[] = [];
  const name = `ScaledObject ${scaler.metadata?.name}`;
  const expected = new Map<string, TriggerMeaning>();
  for (const tierName of role.tiers) {
    const tier = config.tiers.find((candidate) => candidate.name === tierName);
    for (const jobClass of role.classes) {
      const concurrency = tier?.concurrency[jobClass] ?? 0;
      if (concurrency === 0) continue;
      for (const list of ["wait", "active"] as const)
        expected.set(queueListKey(config, tierName, jobClass, list), { jobClass, list, concurrency });
    }
  }
  const window = windowGateProblems(name, scaler, role, config);
  problems.push(...window.problems);
  const seen = new Map<string, TriggerMeaning>();
  // The cron gate of batches.window, if any, was checked just above.
  for (const trigger of scaler.spec.triggers.filter((candidate) => candidate.type !== "cron")) {
    const listName = trigger.metadata.listName ?? "";
    if (trigger.type !== "redis")
      problems.push(`${name}: trigger ${trigger.name} is ${trigger.type}, not redis`);
    if (!trigger.name) problems.push(`${name}: every trigger needs a name (the formula refers to it)`);
    if (!auths.has(trigger.authenticationRef?.name))
      problems.push(`${name}: trigger ${trigger.name} has no existing authenticationRef`);
    const match = expected.get(listName);
    if (!match)
      problems.push(
        `${name}: trigger ${trigger.name} reads "${listName}", which is none of its queues' lists (${[...expected.keys()].join(", ")})`,
      );
    else if (trigger.name) seen.set(trigger.name, match);
  }
  for (const key of expected.keys()) {
    if (![...scaler.spec.triggers].some((trigger) => trigger.metadata.listName === key))
      problems.push(`${name}: no trigger reads ${key}`);
  }
  // A broken gate would only add noise to the demand cases: fix it first.
  if (window.problems.length === 0) problems.push(...demandProblems(name, scaler, seen, window.gate));
  const min = scaler.spec.minReplicaCount ?? 0;
  // From zero, the first interactive job would wait for KEDA's poll and a pod start; a batch job can.
  if (min < 1 && role.classes.includes("interactive"))
    problems.push(`${name}: minReplicaCount ${min}; keep at least one interactive worker per tier`);
  if ((scaler.spec.maxReplicaCount ?? 100) < min)
    problems.push(`${name}: maxReplicaCount under minReplicaCount`);
  const drainSeconds = role.deployment.spec?.template.spec?.terminationGracePeriodSeconds ?? 30;
  const scaleDown = scaler.spec.advanced?.horizontalPodAutoscalerConfig?.behavior?.scaleDown;
  const policies = scaleDown?.policies ?? [];
  if (policies.length === 0 || policies.some((policy) => policy.periodSeconds < drainSeconds))
    problems.push(`${name}: scale-down policies need periodSeconds ≥ the pods' drain (${drainSeconds} s)`);
  if ((scaleDown?.stabilizationWindowSeconds ?? 300) < drainSeconds)
    problems.push(`${name}: scale-down stabilizationWindowSeconds under the pods' drain (${drainSeconds} s)`);
  return problems;
}
