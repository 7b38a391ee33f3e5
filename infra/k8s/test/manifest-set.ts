import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parse, parseAllDocuments } from "yaml";

/** infra/k8s, where kustomization.yaml lives. */
export const K8S_DIR = fileURLToPath(new URL("..", import.meta.url));

/** The template of the Secret operators create by hand; never applied by kustomize. */
export const SECRET_TEMPLATE_FILE = "secret.template.yaml";

/** One Kubernetes object and the file it came from (for messages). */
export interface Manifest {
  file: string;
  doc: KubeObject;
}

/** What every Kubernetes object has; the rest is checked against the kind's schema. */
export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; labels?: Record<string, string> };
  [field: string]: unknown;
}

/** The parts of kustomization.yaml these checks read. */
export interface Kustomization {
  namespace?: string;
  resources?: string[];
  configMapGenerator?: { name: string; files?: string[]; literals?: string[] }[];
  secretGenerator?: unknown[];
  images?: { name: string; newName?: string; newTag?: string }[];
}

/** The parts of a Prometheus config these checks read (kubernetes_sd_configs of role pod). */
export interface PrometheusConfig {
  scrape_configs?: {
    job_name: string;
    metrics_path?: string;
    authorization?: { type?: string; credentials?: string; credentials_file?: string };
    kubernetes_sd_configs?: {
      role: string;
      namespaces?: { names?: string[] };
      selectors?: { role: string; label?: string }[];
    }[];
    relabel_configs?: { source_labels?: string[]; regex?: string; action?: string }[];
  }[];
}

/** The Prometheus config that scrapes these pods (it lives with the other Prometheus files). */
export const PROMETHEUS_FILE = fileURLToPath(
  new URL("../../prometheus/prometheus-kubernetes.yml", import.meta.url),
);

/** Everything `kubectl apply -k infra/k8s` would create, plus the Secret template beside it. */
export interface ManifestSet {
  kustomization: Kustomization;
  /** Every document of every listed resource file, then the generated ConfigMaps. */
  objects: Manifest[];
  secretTemplate: Manifest;
  /** How Prometheus finds the pods: infra/prometheus/prometheus-kubernetes.yml. */
  prometheus: PrometheusConfig;
}

/** Reads the kustomization in `dir` the way kustomize does (resources, configMapGenerator). */
export function loadManifestSet(dir = K8S_DIR): ManifestSet {
  const kustomization = parse(readFileSync(join(dir, "kustomization.yaml"), "utf8")) as Kustomization;
  const objects: Manifest[] = [];
  for (const file of kustomization.resources ?? []) objects.push(...readManifests(dir, file));
  for (const generator of kustomization.configMapGenerator ?? []) {
    objects.push({ file: "kustomization.yaml", doc: generatedConfigMap(dir, generator) });
  }
  const [secretTemplate, ...extra] = readManifests(dir, SECRET_TEMPLATE_FILE);
  if (!secretTemplate || extra.length > 0) throw new Error(`${SECRET_TEMPLATE_FILE}: expected one document`);
  const prometheus = parse(readFileSync(PROMETHEUS_FILE, "utf8")) as PrometheusConfig;
  return { kustomization, objects, secretTemplate, prometheus };
}

/** The documents of one YAML file; a YAML syntax error fails here, naming the file. */
export function readManifests(dir: string, file: string): Manifest[] {
  const documents = parseAllDocuments(readFileSync(join(dir, file), "utf8"));
  return documents.map((document, index) => {
    if (document.errors.length > 0) throw new Error(`${file}[${index}]: ${document.errors[0]?.message}`);
    return { file, doc: document.toJS() as KubeObject };
  });
}

/**
 * The ConfigMap kustomize makes from a generator. Its real name gets a content hash, and kustomize
 * rewrites the references to it, so references are compared with the generator's name.
 */
function generatedConfigMap(
  dir: string,
  generator: NonNullable<Kustomization["configMapGenerator"]>[number],
): KubeObject {
  const data: Record<string, string> = {};
  for (const entry of generator.files ?? []) {
    const [key, path] = entry.includes("=") ? entry.split("=", 2) : [entry.split("/").at(-1), entry];
    if (!key || !path) throw new Error(`configMapGenerator ${generator.name}: bad entry "${entry}"`);
    data[key] = readFileSync(join(dir, path), "utf8");
  }
  for (const literal of generator.literals ?? []) {
    const [key = "", value = ""] = literal.split("=", 2);
    data[key] = value;
  }
  return { apiVersion: "v1", kind: "ConfigMap", metadata: { name: generator.name }, data };
}

/** The objects of one kind, typed as that kind's model interface. */
export function objectsOfKind<T>(set: ManifestSet, kind: string): { file: string; doc: T }[] {
  return set.objects.filter(({ doc }) => doc.kind === kind) as unknown as { file: string; doc: T }[];
}
