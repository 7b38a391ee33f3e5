import { existsSync, readdirSync } from "node:fs";
import { join, posix, relative } from "node:path";
import type { IPodDisruptionBudget } from "kubernetes-models/policy/v1/PodDisruptionBudget";
import type { ISecret } from "kubernetes-models/v1/Secret";
import type { IService } from "kubernetes-models/v1/Service";
import type { ManifestSet } from "./manifest-set.ts";
import { K8S_DIR, objectsOfKind, SECRET_TEMPLATE_FILE } from "./manifest-set.ts";
import { REPO_ROOT } from "./repo-facts.ts";
import type { Selector } from "./workload-helpers.ts";
import {
  deploymentName,
  deployments,
  mainContainer,
  podLabels,
  quantityMiB,
  scriptOf,
  selects,
} from "./workload-helpers.ts";

/** A Secret value that is visibly a placeholder: `<what goes here>`. */
const PLACEHOLDER = /^<[^<>]+>$/;

/** Problems any Deployment can have, whatever it runs: selectors, PDBs, security, resources, image. */
export function deploymentProblems(set: ManifestSet): string[] {
  const problems: string[] = [];
  const all = deployments(set);
  const pdbs = objectsOfKind<IPodDisruptionBudget>(set, "PodDisruptionBudget").map(({ doc }) => doc);
  const imageNames = new Set((set.kustomization.images ?? []).map((image) => image.name));
  for (const deployment of all) {
    const name = `Deployment ${deploymentName(deployment)}`;
    const labels = podLabels(deployment);
    const pod = deployment.spec?.template.spec;
    if (!selects(deployment.spec?.selector as Selector, labels))
      problems.push(`${name}: spec.selector does not match its pod template's labels`);
    const covering = pdbs.filter((pdb) => selects(pdb.spec?.selector as Selector, labels));
    if (covering.length !== 1)
      problems.push(`${name}: ${covering.length} PodDisruptionBudgets select its pods (want exactly 1)`);
    for (const pdb of covering) {
      const others = all.filter(
        (other) => other !== deployment && selects(pdb.spec?.selector as Selector, podLabels(other)),
      );
      if (others.length > 0)
        problems.push(
          `PodDisruptionBudget ${pdb.metadata?.name}: also selects ${others.map(deploymentName).join(", ")}`,
        );
      if (pdb.spec?.minAvailable !== undefined)
        problems.push(
          `PodDisruptionBudget ${pdb.metadata?.name}: use maxUnavailable (minAvailable blocks every drain at the minimum replica count)`,
        );
      else if (pdb.spec?.maxUnavailable === 0 || pdb.spec?.maxUnavailable === "0%")
        problems.push(`PodDisruptionBudget ${pdb.metadata?.name}: maxUnavailable 0 blocks every node drain`);
    }
    for (const spread of pod?.topologySpreadConstraints ?? []) {
      if (!selects(spread.labelSelector as Selector, labels))
        problems.push(`${name}: topology spread on ${spread.topologyKey} does not select its own pods`);
    }
    if (pod?.securityContext?.runAsNonRoot !== true)
      problems.push(`${name}: pod securityContext.runAsNonRoot must be true`);
    // The image says `USER node`; without a number the kubelet refuses to start a runAsNonRoot pod.
    if (!((pod?.securityContext?.runAsUser ?? 0) > 0))
      problems.push(
        `${name}: pod securityContext.runAsUser must be a non-zero number (the image's user is a name)`,
      );
    if (pod?.automountServiceAccountToken !== false)
      problems.push(
        `${name}: automountServiceAccountToken must be false (the apps never call the Kubernetes API)`,
      );
    for (const container of pod?.containers ?? []) {
      const where = `${name} container ${container.name}`;
      const security = container.securityContext;
      if (security?.readOnlyRootFilesystem !== true)
        problems.push(`${where}: readOnlyRootFilesystem must be true`);
      if (security?.allowPrivilegeEscalation !== false)
        problems.push(`${where}: allowPrivilegeEscalation must be false`);
      if (!security?.capabilities?.drop?.includes("ALL"))
        problems.push(`${where}: capabilities must drop ALL`);
      const { requests, limits } = container.resources ?? {};
      if (!requests?.cpu || !requests.memory || !limits?.memory)
        problems.push(`${where}: needs cpu and memory requests and a memory limit`);
      else problems.push(...heapProblems(where, container.env ?? [], limits.memory));
      const image = container.image?.split(/[:@]/)[0] ?? "";
      if (!imageNames.has(image))
        problems.push(`${where}: image "${image}" has no entry in kustomization images`);
    }
    const script = scriptOf(deployment);
    if (!script || !existsSync(join(REPO_ROOT, script)))
      problems.push(
        `${name}: command must be ["node", <a script of this repository>], got ${JSON.stringify(mainContainer(deployment)?.command)}`,
      );
  }
  return problems;
}

/** Room the process needs beside V8's old space (new space, code, buffers, native modules). */
const HEAP_SHARE_OF_LIMIT = 0.8;

/**
 * A Node process's heap cap (`--max-old-space-size`) sits under its memory limit with room to
 * spare: V8 then collects (or fails with a heap error naming the cause) before the kernel's OOM
 * kill, which cuts every call in flight without a word. Resizing one (a class's pods get more
 * memory) must move the other.
 */
function heapProblems(
  where: string,
  env: { name: string; value?: string }[],
  limit: string | number,
): string[] {
  const options = env.find((variable) => variable.name === "NODE_OPTIONS")?.value ?? "";
  const heapMiB = Number(/--max-old-space-size=(\d+)/.exec(options)?.[1] ?? Number.NaN);
  const limitMiB = quantityMiB(limit);
  if (limitMiB === undefined) return [`${where}: memory limit ${limit} is no quantity these checks read`];
  if (Number.isNaN(heapMiB))
    return [`${where}: set NODE_OPTIONS --max-old-space-size under the memory limit (${limitMiB} MiB)`];
  if (heapMiB > limitMiB * HEAP_SHARE_OF_LIMIT)
    return [
      `${where}: --max-old-space-size=${heapMiB} leaves too little of the ${limitMiB} MiB memory limit (at most ${limitMiB * HEAP_SHARE_OF_LIMIT})`,
    ];
  return [];
}

/** Every Secret and ConfigMap a pod refers to exists, with the keys it reads. */
export function referenceProblems(set: ManifestSet): string[] {
  const problems: string[] = [];
  const template = set.secretTemplate.doc as unknown as ISecret;
  const configMaps = new Map(
    set.objects
      .filter(({ doc }) => doc.kind === "ConfigMap")
      .map(({ doc }) => [doc.metadata.name, doc.data as Record<string, string>]),
  );
  for (const deployment of deployments(set)) {
    const name = `Deployment ${deploymentName(deployment)}`;
    for (const container of deployment.spec?.template.spec?.containers ?? []) {
      for (const variable of container.env ?? []) {
        const ref = variable.valueFrom?.secretKeyRef;
        if (!ref) continue;
        if (ref.name !== template.metadata?.name || !(ref.key in (template.stringData ?? {})))
          problems.push(
            `${name}: env ${variable.name} reads ${ref.name}/${ref.key}, which ${SECRET_TEMPLATE_FILE} lacks`,
          );
      }
    }
    const volumes = deployment.spec?.template.spec?.volumes ?? [];
    for (const volume of volumes) {
      if (volume.configMap && !configMaps.has(volume.configMap.name ?? ""))
        problems.push(
          `${name}: volume ${volume.name} mounts ConfigMap ${volume.configMap.name}, which nothing creates`,
        );
    }
    // ROUTER_CONFIG must name a file that a mounted ConfigMap provides, or the app exits at start.
    const container = mainContainer(deployment);
    const configPath = container?.env?.find((variable) => variable.name === "ROUTER_CONFIG")?.value;
    if (configPath) {
      const mount = container?.volumeMounts?.find(
        (candidate) => posix.dirname(configPath) === candidate.mountPath,
      );
      const volume = volumes.find((candidate) => candidate.name === mount?.name);
      const data = configMaps.get(volume?.configMap?.name ?? "");
      if (!data || !(posix.basename(configPath) in data))
        problems.push(
          `${name}: ROUTER_CONFIG ${configPath} is not a key of a ConfigMap mounted at ${posix.dirname(configPath)}`,
        );
    }
  }
  return problems;
}

/** Services reach pods of exactly one Deployment, on a port those pods declare. */
export function serviceProblems(set: ManifestSet): string[] {
  const problems: string[] = [];
  for (const { doc: service } of objectsOfKind<IService>(set, "Service")) {
    const name = `Service ${service.metadata?.name}`;
    const targets = deployments(set).filter((deployment) =>
      selects({ matchLabels: service.spec?.selector }, podLabels(deployment)),
    );
    if (targets.length !== 1) {
      problems.push(`${name}: selects the pods of ${targets.length} Deployments (want exactly 1)`);
      continue;
    }
    const ports = (mainContainer(targets[0] as never)?.ports ?? []).flatMap((port) => [
      port.name,
      port.containerPort,
    ]);
    for (const port of service.spec?.ports ?? []) {
      if (!ports.includes(port.targetPort ?? port.port))
        problems.push(
          `${name}: targetPort ${port.targetPort} is not a port of ${deploymentName(targets[0] as never)}`,
        );
    }
  }
  return problems;
}

/** No real credential in git: every Secret value is a `<placeholder>`, and none is ever applied. */
export function secretProblems(set: ManifestSet): string[] {
  const problems: string[] = [];
  const secrets = [
    ...objectsOfKind<ISecret>(set, "Secret"),
    { file: SECRET_TEMPLATE_FILE, doc: set.secretTemplate.doc as unknown as ISecret },
  ];
  for (const { file, doc } of secrets) {
    if (Object.keys(doc.data ?? {}).length > 0)
      problems.push(`${file}: Secret ${doc.metadata?.name} has base64 data (use <placeholder> stringData)`);
    for (const [key, value] of Object.entries(doc.stringData ?? {})) {
      if (!PLACEHOLDER.test(value))
        problems.push(`${file}: Secret ${doc.metadata?.name} key ${key} holds a value, not a <placeholder>`);
    }
  }
  if (set.kustomization.resources?.includes(SECRET_TEMPLATE_FILE))
    problems.push(
      `kustomization.yaml: ${SECRET_TEMPLATE_FILE} must not be a resource (apply would overwrite the real Secret)`,
    );
  if ((set.kustomization.secretGenerator ?? []).length > 0)
    problems.push("kustomization.yaml: no secretGenerator (its values would live in git)");
  return problems;
}

/** Every manifest file under infra/k8s is either applied or the Secret template: none forgotten. */
export function unlistedFileProblems(set: ManifestSet, dir = K8S_DIR): string[] {
  const listed = new Set([
    ...(set.kustomization.resources ?? []),
    SECRET_TEMPLATE_FILE,
    "kustomization.yaml",
  ]);
  const generated = new Set(
    (set.kustomization.configMapGenerator ?? []).flatMap((g) =>
      (g.files ?? []).map((f) => f.split("=").at(-1)),
    ),
  );
  return yamlFiles(dir)
    .map((file) => relative(dir, file))
    .filter((file) => !listed.has(file) && !generated.has(file))
    .map((file) => `${file}: not in kustomization.yaml's resources, so never applied`);
}

function yamlFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    if (entry.name === "node_modules" || entry.name.startsWith(".")) return [];
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return yamlFiles(path);
    return /\.ya?ml$/.test(entry.name) ? [path] : [];
  });
}
