import { ScaledObject } from "@kubernetes-models/keda/keda.sh/v1alpha1/ScaledObject";
import { TriggerAuthentication } from "@kubernetes-models/keda/keda.sh/v1alpha1/TriggerAuthentication";
import { Deployment } from "kubernetes-models/apps/v1/Deployment";
import { PodDisruptionBudget } from "kubernetes-models/policy/v1/PodDisruptionBudget";
import { ConfigMap } from "kubernetes-models/v1/ConfigMap";
import { Namespace } from "kubernetes-models/v1/Namespace";
import { Secret } from "kubernetes-models/v1/Secret";
import { Service } from "kubernetes-models/v1/Service";
import type { Manifest } from "./manifest-set.ts";

interface ValidatingModel {
  validate(): void;
}
type ModelClass = new (data: never) => ValidatingModel;

/**
 * The kinds these manifests may use, each with the published schema of its API version
 * (kubernetes-models for Kubernetes itself, @kubernetes-models/keda for KEDA's CRDs). A kind or
 * version missing here is a problem: it would be unvalidated, or a typo (`apps/v1beta1`).
 */
const MODELS: Record<string, ModelClass> = {
  "v1/Namespace": Namespace,
  "v1/ConfigMap": ConfigMap,
  "v1/Secret": Secret,
  "v1/Service": Service,
  "apps/v1/Deployment": Deployment,
  "policy/v1/PodDisruptionBudget": PodDisruptionBudget,
  "keda.sh/v1alpha1/ScaledObject": ScaledObject,
  "keda.sh/v1alpha1/TriggerAuthentication": TriggerAuthentication,
};

/** What the kind's JSON schema says is wrong with the object (types, required fields, enums). */
export function schemaProblems({ file, doc }: Manifest): string[] {
  const where = `${file}: ${doc.kind}/${doc.metadata?.name ?? "(no name)"}`;
  const Model = MODELS[`${doc.apiVersion}/${doc.kind}`];
  if (!Model) return [`${where}: no schema for ${doc.apiVersion} ${doc.kind}`];
  if (!doc.metadata?.name) return [`${where}: metadata.name is required`];
  try {
    new Model(doc as never).validate();
    return [];
  } catch (error) {
    return [`${where}: ${error instanceof Error ? error.message : String(error)}`];
  }
}
