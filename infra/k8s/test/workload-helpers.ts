import type { IDeployment } from "kubernetes-models/apps/v1/Deployment";
import type { IContainer } from "kubernetes-models/v1/Container";
import type { ISecret } from "kubernetes-models/v1/Secret";
import type { ManifestSet } from "./manifest-set.ts";
import { objectsOfKind } from "./manifest-set.ts";

/** A label selector as these manifests write it (matchLabels only: simpler to read and to check). */
export interface Selector {
  matchLabels?: Record<string, string>;
  matchExpressions?: unknown[];
}

/** Whether `selector` picks a pod labelled `labels` (an empty selector picks nothing here). */
export function selects(selector: Selector | undefined, labels: Record<string, string> | undefined): boolean {
  const wanted = Object.entries(selector?.matchLabels ?? {});
  if (wanted.length === 0 || (selector?.matchExpressions?.length ?? 0) > 0) return false;
  return wanted.every(([key, value]) => labels?.[key] === value);
}

export function podLabels(deployment: IDeployment): Record<string, string> {
  return deployment.spec?.template.metadata?.labels ?? {};
}

export function deploymentName(deployment: IDeployment): string {
  return deployment.metadata?.name ?? "(unnamed)";
}

export function deployments(set: ManifestSet): IDeployment[] {
  return objectsOfKind<IDeployment>(set, "Deployment").map(({ doc }) => doc);
}

/** The first container: each pod here runs one. */
export function mainContainer(deployment: IDeployment): IContainer | undefined {
  return deployment.spec?.template.spec?.containers[0];
}

/** The port number a probe (by name or number) reaches on `container`. */
export function probePort(
  container: IContainer | undefined,
  port: number | string | undefined,
): number | undefined {
  if (typeof port === "number") return port;
  return container?.ports?.find((candidate) => candidate.name === port)?.containerPort;
}

/** The repository script a container runs (`node <script>`), e.g. `apps/worker/src/main.ts`. */
export function scriptOf(deployment: IDeployment): string | undefined {
  const command = mainContainer(deployment)?.command ?? [];
  return command[0] === "node" ? command[1] : undefined;
}

/** The Deployments that run one app (`api`, `worker`), found by the script they run. */
export function deploymentsRunning(set: ManifestSet, app: string): IDeployment[] {
  return deployments(set).filter((deployment) => scriptOf(deployment) === `apps/${app}/src/main.ts`);
}

/**
 * The environment a container would get, with each Secret reference replaced by `fromSecret(key)`
 * (placeholders in unit checks, real test values in the process tests).
 */
export function containerEnv(
  container: IContainer | undefined,
  fromSecret: (key: string) => string,
): Record<string, string> {
  const env: Record<string, string> = {};
  for (const variable of container?.env ?? []) {
    const secretKey = variable.valueFrom?.secretKeyRef?.key;
    if (variable.value !== undefined) env[variable.name] = variable.value;
    else if (secretKey !== undefined) env[variable.name] = fromSecret(secretKey);
  }
  return env;
}

/** Keys and values of the Secret template (`stringData`; `data` would be base64 in git). */
export function templateValues(set: ManifestSet): Record<string, string> {
  const secret = set.secretTemplate.doc as unknown as ISecret;
  return { ...secret.stringData };
}

const QUANTITY_BYTES: Record<string, number> = {
  "": 1,
  k: 1e3,
  M: 1e6,
  G: 1e9,
  Ki: 2 ** 10,
  Mi: 2 ** 20,
  Gi: 2 ** 30,
};

/** A Kubernetes memory quantity (`512Mi`, `1Gi`, `1G`) in MiB; undefined when unreadable. */
export function quantityMiB(quantity: string | number | undefined): number | undefined {
  const match = /^(\d+(?:\.\d+)?)(|k|M|G|Ki|Mi|Gi)$/.exec(String(quantity ?? ""));
  const unit = QUANTITY_BYTES[match?.[2] ?? "?"];
  if (!match?.[1] || unit === undefined) return undefined;
  return (Number(match[1]) * unit) / 2 ** 20;
}
