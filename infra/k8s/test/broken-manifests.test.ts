import type { IPodDisruptionBudget } from "kubernetes-models/policy/v1/PodDisruptionBudget";
import type { ISecret } from "kubernetes-models/v1/Secret";
import type { IService } from "kubernetes-models/v1/Service";
import { describe, expect, it } from "vitest";
import { checkManifests } from "./check-manifests.ts";
import { deployment, find, scaler, setEnv } from "./manifest-edits.ts";
import type { ManifestSet } from "./manifest-set.ts";
import { loadManifestSet, SECRET_TEMPLATE_FILE } from "./manifest-set.ts";
import { mainContainer } from "./workload-helpers.ts";

const pristine = loadManifestSet();

/** Mistakes a person editing these files could make; each must be caught by the same checks. */
describe("the checks catch a broken manifest", () => {
  const cases: [string, (set: ManifestSet) => void, RegExp][] = [
    [
      "a port written as a string",
      (set) => {
        const port = mainContainer(deployment(set, "llmr-api"))?.ports?.[0];
        if (port) port.containerPort = "8080" as never;
      },
      /containerPort must be integer/,
    ],
    [
      "an API version that does not exist",
      (set) => {
        deployment(set, "llmr-api").apiVersion = "apps/v1beta3" as never;
      },
      /no schema for apps\/v1beta3 Deployment/,
    ],
    [
      "the API left on 127.0.0.1",
      (set) => setEnv(set, "llmr-api", "HOST", "127.0.0.1"),
      /HOST must be 0\.0\.0\.0/,
    ],
    [
      "a readiness probe on a path the API does not serve",
      (set) => {
        const probe = mainContainer(deployment(set, "llmr-api"))?.readinessProbe?.httpGet;
        if (probe) probe.path = "/ready";
      },
      /GETs \/ready, which the API does not serve/,
    ],
    [
      "an API killed before its drain ends",
      (set) => {
        const pod = deployment(set, "llmr-api").spec?.template.spec;
        if (pod) pod.terminationGracePeriodSeconds = 10;
      },
      /must exceed preStop \+ the API's drain/,
    ],
    [
      "a worker killed before its drain ends",
      (set) => {
        const pod = deployment(set, "llmr-worker-fast-interactive").spec?.template.spec;
        if (pod) pod.terminationGracePeriodSeconds = 30;
      },
      /llmr-worker-fast-interactive: terminationGracePeriodSeconds 30 must exceed WORKER_SHUTDOWN_GRACE_MS/,
    ],
    [
      "a drain shorter than an interactive call",
      (set) => setEnv(set, "llmr-worker-capable-interactive", "WORKER_SHUTDOWN_GRACE_MS", "20000"),
      /under tier capable's interactive hard limit 90000/,
    ],
    [
      "a tier's interactive class with no worker Deployment",
      (set) => {
        set.objects = set.objects.filter(
          ({ doc }) => doc.metadata.name !== "llmr-worker-standard-interactive",
        );
      },
      /tier standard \(interactive\): 0 worker Deployments run it/,
    ],
    [
      "a worker without WORKER_TIERS (it would run every tier)",
      (set) => {
        const container = mainContainer(deployment(set, "llmr-worker-fast-interactive"));
        if (container) container.env = container.env?.filter((v) => v.name !== "WORKER_TIERS");
      },
      /set WORKER_TIERS/,
    ],
    [
      "a worker without a vendor's key",
      (set) => {
        const container = mainContainer(deployment(set, "llmr-worker-fast-interactive"));
        if (container) container.env = container.env?.filter((v) => v.name !== "ANTHROPIC_API_KEY");
      },
      /llmr-worker-fast-interactive: the worker would not start: [\s\S]*ANTHROPIC_API_KEY is not set/,
    ],
    [
      "a worker probe on a path the worker does not serve",
      (set) => {
        const probe = mainContainer(deployment(set, "llmr-worker-fast-interactive"))?.readinessProbe?.httpGet;
        if (probe) probe.path = "/ready";
      },
      /llmr-worker-fast-interactive: readinessProbe GETs \/ready, which the worker does not serve \(\/healthz, \/readyz, \/metrics\)/,
    ],
    [
      "a worker liveness probe on /readyz (it would restart draining workers)",
      (set) => {
        const probe = mainContainer(deployment(set, "llmr-worker-standard-interactive"))?.livenessProbe
          ?.httpGet;
        if (probe) probe.path = "/readyz";
      },
      /llmr-worker-standard-interactive: livenessProbe must GET \/healthz/,
    ],
    [
      "a worker probe on the API's port",
      (set) => {
        const probe = mainContainer(deployment(set, "llmr-worker-fast-interactive"))?.livenessProbe?.httpGet;
        if (probe) probe.port = 8080;
      },
      /llmr-worker-fast-interactive: livenessProbe port 8080 is not the worker's port 9464/,
    ],
    [
      "a worker liveness probe that gives up after 10 s",
      (set) => {
        const probe = mainContainer(deployment(set, "llmr-worker-capable-interactive"))?.livenessProbe;
        if (probe) probe.failureThreshold = 1;
      },
      /llmr-worker-capable-interactive: livenessProbe restarts after 10 s without an answer/,
    ],
    [
      "the worker's HTTP server left on 127.0.0.1",
      (set) => setEnv(set, "llmr-worker-fast-interactive", "WORKER_METRICS_HOST", "127.0.0.1"),
      /llmr-worker-fast-interactive: WORKER_METRICS_HOST must be 0\.0\.0\.0/,
    ],
    [
      "a worker without WORKER_METRICS_PORT (nothing to probe)",
      (set) => {
        const container = mainContainer(deployment(set, "llmr-worker-fast-interactive"));
        if (container) container.env = container.env?.filter((v) => v.name !== "WORKER_METRICS_PORT");
      },
      /llmr-worker-fast-interactive: set WORKER_METRICS_PORT/,
    ],
    [
      "a worker without the operator token (every scrape 401)",
      (set) => {
        const container = mainContainer(deployment(set, "llmr-worker-fast-interactive"));
        if (container) container.env = container.env?.filter((v) => v.name !== "LLMR_OPERATOR_TOKEN");
      },
      /llmr-worker-fast-interactive: no LLMR_OPERATOR_TOKEN/,
    ],
    [
      "a worker metrics port renamed (Prometheus would find no target)",
      (set) => {
        const port = mainContainer(deployment(set, "llmr-worker-standard-interactive"))?.ports?.[0];
        if (port) port.name = "prom";
      },
      /job llmr-worker: keeps ports \[\] of llmr-worker-standard-interactive, want exactly the one the worker serves metrics on \(9464\)/,
    ],
    [
      "a Prometheus job that looks for the wrong pods",
      (set) => {
        const sd = set.prometheus.scrape_configs?.find((job) => job.job_name === "llmr-worker")
          ?.kubernetes_sd_configs?.[0]?.selectors?.[0];
        if (sd) sd.label = "app.kubernetes.io/name=llmr,app.kubernetes.io/component=workers";
      },
      /job llmr-worker: its selector does not pick the pods of llmr-worker-fast-interactive/,
    ],
    [
      "replicas on an autoscaled Deployment",
      (set) => {
        const spec = deployment(set, "llmr-worker-fast-interactive").spec;
        if (spec) spec.replicas = 3;
      },
      /no spec\.replicas/,
    ],
    [
      "a queue key without BullMQ's braces",
      (set) => {
        const trigger = scaler(set, "llmr-worker-fast-interactive").spec.triggers[0];
        if (trigger) trigger.metadata.listName = "llmr:fast-interactive:wait";
      },
      /no trigger reads llmr:\{fast-interactive\}:wait/,
    ],
    [
      "one trigger per list without the formula",
      (set) => {
        const advanced = scaler(set, "llmr-worker-fast-interactive").spec.advanced;
        if (advanced) delete advanced.scalingModifiers;
      },
      /with interactive 16 running and 16 waiting \(16 per pod\) it asks for 1 pods, not 2/,
    ],
    [
      "a formula that forgot a concurrency change",
      (set) => {
        const modifiers = scaler(set, "llmr-worker-standard-interactive").spec.advanced?.scalingModifiers;
        if (modifiers) modifiers.formula = modifiers.formula?.replaceAll("/ 8", "/ 4");
      },
      /llmr-worker-standard-interactive: with interactive 8 running and 0 waiting \(8 per pod\) it asks for 2 pods, not 1/,
    ],
    [
      "a scale-down faster than a drain",
      (set) => {
        const policy = scaler(set, "llmr-worker-capable-interactive").spec.advanced
          ?.horizontalPodAutoscalerConfig?.behavior?.scaleDown?.policies?.[0];
        if (policy) policy.periodSeconds = 15;
      },
      /scale-down policies need periodSeconds ≥ the pods' drain \(110 s\)/,
    ],
    [
      "a PodDisruptionBudget that forgot the tier label",
      (set) => {
        const selector = find<IPodDisruptionBudget>(
          set,
          "PodDisruptionBudget",
          "llmr-worker-fast-interactive",
        ).spec?.selector;
        if (selector?.matchLabels) delete selector.matchLabels["llmr-tier"];
      },
      /PodDisruptionBudget llmr-worker-fast-interactive: also selects llmr-worker-standard-interactive, llmr-worker-capable-interactive/,
    ],
    [
      "a PodDisruptionBudget that blocks every drain",
      (set) => {
        const spec = find<IPodDisruptionBudget>(
          set,
          "PodDisruptionBudget",
          "llmr-worker-capable-interactive",
        ).spec;
        if (spec) {
          delete spec.maxUnavailable;
          spec.minAvailable = 1;
        }
      },
      /use maxUnavailable/,
    ],
    [
      "a Service selecting no pods",
      (set) => {
        const spec = find<IService>(set, "Service", "llmr-api").spec;
        if (spec) spec.selector = { "app.kubernetes.io/component": "web" };
      },
      /Service llmr-api: selects the pods of 0 Deployments/,
    ],
    [
      "a root pod",
      (set) => {
        const context = deployment(set, "llmr-worker-fast-interactive").spec?.template.spec?.securityContext;
        if (context) delete context.runAsUser;
      },
      /runAsUser must be a non-zero number/,
    ],
    [
      "a writable root filesystem",
      (set) => {
        const context = mainContainer(deployment(set, "llmr-api"))?.securityContext;
        if (context) context.readOnlyRootFilesystem = false;
      },
      /readOnlyRootFilesystem must be true/,
    ],
    [
      "a real key in the Secret template",
      (set) => {
        const secret = set.secretTemplate.doc as unknown as ISecret;
        if (secret.stringData) secret.stringData.OPENAI_API_KEY = "sk-proj-abc123";
      },
      /key OPENAI_API_KEY holds a value, not a <placeholder>/,
    ],
    [
      "the Secret template applied by kustomize",
      (set) => {
        set.kustomization.resources?.push(SECRET_TEMPLATE_FILE);
      },
      /must not be a resource/,
    ],
    [
      "a production config that drifted from the default",
      (set) => {
        const configMap = find<{ data: Record<string, string> }>(set, "ConfigMap", "llmr-router-config");
        configMap.data["router.yaml"] = (configMap.data["router.yaml"] ?? "").replace(
          "interactive: 16, batch: 4",
          "interactive: 32, batch: 4",
        );
      },
      /differs from packages\/config\/router\.default\.yaml/,
    ],
  ];

  it.each(cases)("%s", (_name, breakIt, expected) => {
    const set = structuredClone(pristine);
    breakIt(set);
    const problems = checkManifests(set);
    expect(problems.join("\n")).toMatch(expected);
  });
});
