import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { IScaledObject } from "@kubernetes-models/keda/keda.sh/v1alpha1/ScaledObject";
import type { IDeployment } from "kubernetes-models/apps/v1/Deployment";
import { parse } from "yaml";
import type { ManifestSet } from "./manifest-set.ts";
import { K8S_DIR } from "./manifest-set.ts";
import { ROUTER_CONFIG_KEY, ROUTER_CONFIG_MAP } from "./repo-facts.ts";
import { mainContainer } from "./workload-helpers.ts";

/** One object of a manifest set, by kind and name, to read or to break in a test. */
export function find<T>(set: ManifestSet, kind: string, name: string): T {
  const found = set.objects.find(({ doc }) => doc.kind === kind && doc.metadata.name === name);
  if (!found) throw new Error(`no ${kind} ${name}`);
  return found.doc as unknown as T;
}
export const deployment = (set: ManifestSet, name: string) => find<IDeployment>(set, "Deployment", name);
export const scaler = (set: ManifestSet, name: string) => find<IScaledObject>(set, "ScaledObject", name);
const env = (set: ManifestSet, name: string) => mainContainer(deployment(set, name))?.env ?? [];
/** Changes the value of an env variable the Deployment's container already has. */
export const setEnv = (set: ManifestSet, name: string, variable: string, value: string) => {
  const found = env(set, name).find((candidate) => candidate.name === variable);
  if (!found) throw new Error(`no ${variable} on ${name}`);
  found.value = value;
};

/** The window infra/k8s/README.md's gate is written for. */
export const README_WINDOW = '{ start: "01:00", end: "06:00", time_zone: Europe/Berlin }';

/** Sets `batches.window` in the router config the pods get (the ConfigMap's router.yaml). */
export function setBatchWindow(set: ManifestSet, window = README_WINDOW): void {
  const configMap = find<{ data: Record<string, string> }>(set, "ConfigMap", ROUTER_CONFIG_MAP);
  configMap.data[ROUTER_CONFIG_KEY] =
    `${configMap.data[ROUTER_CONFIG_KEY] ?? ""}\nbatches:\n  window: ${window}\n`;
}

/** The `spec` fragment of the cron gate, as infra/k8s/README.md shows it (for fast, batch concurrency 4). */
export function readmeWindowGate(): Pick<IScaledObject["spec"], "advanced" | "triggers"> {
  const readme = readFileSync(join(K8S_DIR, "README.md"), "utf8");
  const block = /<!-- window-gate[^>]*-->\s*```yaml\n([\s\S]*?)```/.exec(readme)?.[1];
  if (!block) throw new Error("infra/k8s/README.md: no ```yaml block after <!-- window-gate -->");
  return (parse(block) as { spec: Pick<IScaledObject["spec"], "advanced" | "triggers"> }).spec;
}

/** Applies the README's gate to every batch-only ScaledObject, its divisor set to that tier's concurrency. */
export function gateBatchScalers(set: ManifestSet, concurrency: Record<string, number>): void {
  const gate = readmeWindowGate();
  for (const [tier, slots] of Object.entries(concurrency)) {
    const target = scaler(set, `llmr-worker-${tier}-batch`);
    const formula = gate.advanced?.scalingModifiers?.formula?.replaceAll("/ 4", `/ ${slots}`);
    const modifiers = target.spec.advanced?.scalingModifiers;
    if (!modifiers || !formula) throw new Error(`no formula to gate on llmr-worker-${tier}-batch`);
    modifiers.formula = formula;
    target.spec.triggers.push(...structuredClone(gate.triggers));
  }
}
