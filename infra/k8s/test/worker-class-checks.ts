import type { RouterConfig } from "@llmr/config";
import type { ManifestSet } from "./manifest-set.ts";
import { resolveRouterConfig, routerConfigText } from "./repo-facts.ts";
import { workerRoles } from "./worker-checks.ts";
import { deploymentName, podLabels } from "./workload-helpers.ts";

/** The pod labels that name what a worker pod runs (selectors, PDBs, spreads, `kubectl get -l`). */
export const TIER_LABEL = "llmr-tier";
export const CLASS_LABEL = "llmr-class";

/**
 * Each worker Deployment runs one tier and one class. Both classes in one process share its event
 * loop: `pnpm bench` (interactive-under-load) kept interactive p99 within 2× idle only with the
 * shipped small batch concurrency, so a batch drain must run in pods of its own, scaled on its own
 * queue. The pods' labels say the same as their env, since selectors and dashboards go by them.
 * Which tier × class is run exactly once: workerProblems.
 */
export function workerClassProblems(set: ManifestSet): string[] {
  let config: RouterConfig;
  try {
    config = resolveRouterConfig(routerConfigText(set));
  } catch {
    return []; // workerProblems reports the broken config
  }
  const problems: string[] = [];
  for (const role of workerRoles(set, config)) {
    const name = `Deployment ${deploymentName(role.deployment)}`;
    if (role.classes.length !== 1) {
      problems.push(
        `${name}: runs ${role.classes.join(" and ")} in one process; set WORKER_CLASSES to one class (a batch drain would slow interactive jobs' event loop)`,
      );
      continue;
    }
    if (role.tiers.length !== 1) {
      problems.push(
        `${name}: runs tiers ${role.tiers.join(", ")}; one tier per Deployment, scaled on its queue`,
      );
      continue;
    }
    const labels = podLabels(role.deployment);
    const expected = { [TIER_LABEL]: role.tiers[0], [CLASS_LABEL]: role.classes[0] };
    for (const [label, value] of Object.entries(expected)) {
      if (labels[label] !== value)
        problems.push(
          `${name}: pod label ${label} is ${labels[label] ?? "missing"}, but its env runs ${value}`,
        );
    }
  }
  return problems;
}
