import type { ManifestSet, PrometheusConfig } from "./manifest-set.ts";
import { ApiEnv, WorkerEnv, workerHttpPaths } from "./repo-facts.ts";
import type { Selector } from "./workload-helpers.ts";
import {
  containerEnv,
  deploymentName,
  deploymentsRunning,
  mainContainer,
  podLabels,
  selects,
} from "./workload-helpers.ts";

type ScrapeJob = NonNullable<PrometheusConfig["scrape_configs"]>[number];

/** What each app serves Prometheus: its scrape job, the port it listens on, the paths it serves. */
const APPS = [
  {
    app: "api",
    job: "llmr-api",
    port: (env: Record<string, string>) => ApiEnv.safeParse(env).data?.PORT,
    // Mounted by apps/api/src/app.ts; the API's e2e and metrics tests scrape it there.
    paths: () => ["/metrics"],
  },
  {
    app: "worker",
    job: "llmr-worker",
    port: (env: Record<string, string>) => WorkerEnv.safeParse(env).data?.WORKER_METRICS_PORT,
    paths: workerHttpPaths,
  },
] as const;

/**
 * infra/prometheus/prometheus-kubernetes.yml against the Deployments: each job finds every pod of
 * its app in the namespace kustomize applies, keeps exactly the container port the app listens on
 * for metrics, asks a path the app serves, and sends the operator token from a file.
 */
export function prometheusProblems(set: ManifestSet): string[] {
  const problems: string[] = [];
  const namespace = set.kustomization.namespace ?? "default";
  for (const { app, job: jobName, port, paths } of APPS) {
    const job = set.prometheus.scrape_configs?.find((candidate) => candidate.job_name === jobName);
    const where = `prometheus-kubernetes.yml job ${jobName}`;
    if (!job) {
      problems.push(`${where}: missing`);
      continue;
    }
    if (!job.authorization?.credentials_file || job.authorization.credentials !== undefined)
      problems.push(`${where}: send the operator token from credentials_file, never inline`);
    if (!paths().includes(job.metrics_path ?? "/metrics"))
      problems.push(`${where}: metrics_path ${job.metrics_path} is not served by the ${app}`);
    const pods = (job.kubernetes_sd_configs ?? []).filter((sd) => sd.role === "pod");
    if (pods.length !== 1) {
      problems.push(`${where}: needs one kubernetes_sd_configs entry of role pod`);
      continue;
    }
    const names = pods[0]?.namespaces?.names;
    if (names && !names.includes(namespace))
      problems.push(`${where}: looks in namespaces ${names.join(", ")}, not ${namespace}`);
    const selector = labelSelector(pods[0]?.selectors);
    const keepPort = portNameRegex(job);
    for (const deployment of deploymentsRunning(set, app)) {
      const name = deploymentName(deployment);
      if (!selects(selector, podLabels(deployment))) {
        problems.push(`${where}: its selector does not pick the pods of ${name}`);
        continue;
      }
      const listening = port(containerEnv(mainContainer(deployment), (key) => `<${key}>`));
      const kept = (mainContainer(deployment)?.ports ?? []).filter((candidate) =>
        keepPort.test(candidate.name ?? ""),
      );
      if (kept.length !== 1 || kept[0]?.containerPort !== listening)
        problems.push(
          `${where}: keeps ports [${kept.map((p) => p.name).join(", ")}] of ${name}, want exactly the one the ${app} serves metrics on (${listening})`,
        );
    }
  }
  return problems;
}

/** A pod selector `a=b,c=d` as matchLabels; nothing selected when absent (every pod would be). */
function labelSelector(selectors: { role: string; label?: string }[] | undefined): Selector {
  const label = selectors?.find((selector) => selector.role === "pod")?.label ?? "";
  const pairs = label
    .split(",")
    .filter(Boolean)
    .map((pair) => pair.split("=", 2) as [string, string]);
  return { matchLabels: Object.fromEntries(pairs) };
}

/** The port names the job keeps (Prometheus anchors regexes); none kept means every port. */
function portNameRegex(job: ScrapeJob): RegExp {
  const keep = (job.relabel_configs ?? []).find(
    (rule) =>
      rule.action === "keep" &&
      rule.source_labels?.length === 1 &&
      rule.source_labels[0] === "__meta_kubernetes_pod_container_port_name",
  );
  return new RegExp(`^(?:${keep?.regex ?? ".*"})$`);
}
