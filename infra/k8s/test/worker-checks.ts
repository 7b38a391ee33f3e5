import { isDeepStrictEqual } from "node:util";
import type { JobClass, RouterConfig } from "@llmr/config";
import { JOB_CLASSES, parseConfig } from "@llmr/config";
import type { IDeployment } from "kubernetes-models/apps/v1/Deployment";
import { parse } from "yaml";
import type { ManifestSet } from "./manifest-set.ts";
import {
  defaultConfigText,
  resolveRouterConfig,
  routerConfigText,
  WorkerEnv,
  workerForceAfterMs,
} from "./repo-facts.ts";
import { containerEnv, deploymentName, deploymentsRunning, mainContainer } from "./workload-helpers.ts";

/** What a worker Deployment runs, as its env tells the worker. */
export interface WorkerRole {
  deployment: IDeployment;
  tiers: readonly string[];
  classes: readonly JobClass[];
  shutdownGraceMs: number;
}

/** Each worker Deployment's role; an env the worker would refuse is reported as a problem. */
export function workerRoles(set: ManifestSet, config: RouterConfig, problems: string[] = []): WorkerRole[] {
  return deploymentsRunning(set, "worker").flatMap((deployment) => {
    const parsed = WorkerEnv.safeParse(containerEnv(mainContainer(deployment), (key) => `<${key}>`));
    if (!parsed.success) {
      problems.push(
        `Deployment ${deploymentName(deployment)}: the worker would refuse its env: ${parsed.error.message}`,
      );
      return [];
    }
    const { WORKER_TIERS, WORKER_CLASSES, WORKER_SHUTDOWN_GRACE_MS } = parsed.data;
    // Unset means every tier: one Deployment per tier could then not be scaled on its own queues.
    if (!WORKER_TIERS)
      problems.push(`Deployment ${deploymentName(deployment)}: set WORKER_TIERS (unset runs every tier)`);
    const tiers = WORKER_TIERS ?? config.tiers.map((tier) => tier.name);
    return [
      {
        deployment,
        tiers,
        classes: WORKER_CLASSES ?? JOB_CLASSES,
        shutdownGraceMs: WORKER_SHUTDOWN_GRACE_MS,
      },
    ];
  });
}

/**
 * The production config keeps the default's shape (models, tiers, tasks, rules) and never
 * simulates: only `simulator` and `simulate_without_key` may differ.
 */
export function configProblems(set: ManifestSet): string[] {
  const production = parse(routerConfigText(set)) as Record<string, unknown>;
  const shipped = parse(defaultConfigText()) as Record<string, unknown>;
  const problems: string[] = [];
  for (const [id, provider] of Object.entries(
    (production.providers ?? {}) as Record<string, Record<string, unknown>>,
  )) {
    if (provider.simulate_without_key === true || provider.kind === "simulated")
      problems.push(`config/router.yaml: provider ${id} would be simulated in production`);
  }
  if (!isDeepStrictEqual(comparable(production), comparable(shipped)))
    problems.push(
      "config/router.yaml: differs from packages/config/router.default.yaml beyond simulate_without_key (copy the change over)",
    );
  return problems;
}

function comparable(document: Record<string, unknown>): Record<string, unknown> {
  const { simulator: _simulator, providers = {}, ...rest } = document;
  const stripped = Object.entries(providers as Record<string, Record<string, unknown>>).map(
    ([id, provider]) => {
      const { simulate_without_key: _simulate, ...kept } = provider;
      return [id, kept];
    },
  );
  return { ...rest, providers: Object.fromEntries(stripped) };
}

/**
 * Every tier × class with slots has exactly one worker Deployment; each can start (its env holds
 * the provider keys), and Kubernetes waits for its drain before SIGKILL. Its probes and metrics
 * port: worker-probe-checks.ts.
 */
export function workerProblems(set: ManifestSet): string[] {
  const problems: string[] = [];
  const text = routerConfigText(set);
  let config: RouterConfig;
  try {
    config = resolveRouterConfig(text);
  } catch (error) {
    return [`config/router.yaml: ${error instanceof Error ? error.message : String(error)}`];
  }
  const roles = workerRoles(set, config, problems);
  for (const tier of config.tiers) {
    for (const jobClass of JOB_CLASSES) {
      if (tier.concurrency[jobClass] === 0) continue;
      const running = roles.filter(
        (role) => role.tiers.includes(tier.name) && role.classes.includes(jobClass),
      );
      if (running.length !== 1)
        problems.push(
          `tier ${tier.name} (${jobClass}): ${running.length} worker Deployments run it (want exactly 1)`,
        );
    }
  }
  const forceAfterMs = workerForceAfterMs();
  for (const role of roles) {
    const name = `Deployment ${deploymentName(role.deployment)}`;
    const pod = role.deployment.spec?.template.spec;
    const container = mainContainer(role.deployment);
    for (const tierName of role.tiers) {
      const tier = config.tiers.find((candidate) => candidate.name === tierName);
      if (!tier) problems.push(`${name}: WORKER_TIERS names "${tierName}", which config/router.yaml lacks`);
      // Our choice: an interactive call in flight at SIGTERM may always run to its hard limit. A
      // batch call past the grace is re-queued instead: batch pods need not wait out 15-minute calls.
      else if (
        role.classes.includes("interactive") &&
        role.shutdownGraceMs < tier.timeLimits.interactive.hardMs
      )
        problems.push(
          `${name}: WORKER_SHUTDOWN_GRACE_MS ${role.shutdownGraceMs} is under tier ${tierName}'s interactive hard limit ${tier.timeLimits.interactive.hardMs}`,
        );
    }
    // The worker may need its grace, then up to SHUTDOWN_FORCE_AFTER_MS to hand jobs back.
    const neededMs = role.shutdownGraceMs + forceAfterMs;
    const graceSeconds = pod?.terminationGracePeriodSeconds ?? 30;
    if (graceSeconds * 1000 <= neededMs)
      problems.push(
        `${name}: terminationGracePeriodSeconds ${graceSeconds} must exceed WORKER_SHUTDOWN_GRACE_MS + ${forceAfterMs} ms (${neededMs / 1000} s)`,
      );
    if (role.deployment.spec?.replicas !== undefined)
      problems.push(`${name}: no spec.replicas (its ScaledObject owns the replica count)`);
    try {
      // Exactly as the worker loads it at start: the vendors' keys must be in its env.
      parseConfig(text, "config/router.yaml", { env: containerEnv(container, (key) => `<${key}>`) });
    } catch (error) {
      problems.push(
        `${name}: the worker would not start: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
  }
  return problems;
}
