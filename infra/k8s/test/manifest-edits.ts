import type { IScaledObject } from "@kubernetes-models/keda/keda.sh/v1alpha1/ScaledObject";
import type { IDeployment } from "kubernetes-models/apps/v1/Deployment";
import type { ManifestSet } from "./manifest-set.ts";
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
