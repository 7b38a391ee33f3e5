import type { IDeployment } from "kubernetes-models/apps/v1/Deployment";
import type { IContainer } from "kubernetes-models/v1/Container";
import type { ManifestSet } from "./manifest-set.ts";
import { ApiEnv, apiHealthPaths, apiShutdownGraceMs } from "./repo-facts.ts";
import {
  containerEnv,
  deploymentName,
  deploymentsRunning,
  mainContainer,
  probePort,
} from "./workload-helpers.ts";

/** How long the preStop hook keeps a pod serving while endpoints stop sending it traffic. */
function preStopSeconds(container: IContainer | undefined): number {
  const command = container?.lifecycle?.preStop?.exec?.command ?? [];
  const sleep = container?.lifecycle?.preStop?.sleep?.seconds;
  if (sleep !== undefined) return sleep;
  return command[0] === "sleep" ? Number(command[1] ?? 0) : 0;
}

/**
 * The API's Deployments: it must listen where the Service and probes look, the probes must hit
 * routes the API serves, and Kubernetes must wait for its drain before SIGKILL.
 */
export function apiProblems(set: ManifestSet): string[] {
  const problems: string[] = [];
  const apis = deploymentsRunning(set, "api");
  if (apis.length === 0) problems.push("no Deployment runs apps/api/src/main.ts");
  const served = new Set(apiHealthPaths());
  for (const deployment of apis) problems.push(...oneApiProblems(deployment, served));
  return problems;
}

function oneApiProblems(deployment: IDeployment, served: Set<string>): string[] {
  const problems: string[] = [];
  const name = `Deployment ${deploymentName(deployment)}`;
  const container = mainContainer(deployment);
  const parsed = ApiEnv.safeParse(containerEnv(container, (key) => `<${key}>`));
  if (!parsed.success) return [`${name}: the API would refuse its env: ${parsed.error.message}`];
  const env = parsed.data;
  // The default 127.0.0.1 is unreachable from the Service and from the kubelet's probes.
  if (env.HOST !== "0.0.0.0") problems.push(`${name}: HOST must be 0.0.0.0, is ${env.HOST}`);
  if (!container?.ports?.some((port) => port.containerPort === env.PORT))
    problems.push(`${name}: the API listens on ${env.PORT} (PORT) but declares no such containerPort`);

  const probes = {
    readinessProbe: container?.readinessProbe,
    livenessProbe: container?.livenessProbe,
    startupProbe: container?.startupProbe,
  };
  if (probes.readinessProbe?.httpGet?.path !== "/readyz")
    problems.push(`${name}: readinessProbe must GET /readyz (Redis answers and is safe)`);
  if (probes.livenessProbe?.httpGet?.path !== "/healthz")
    problems.push(`${name}: livenessProbe must GET /healthz (restarting does not fix Redis)`);
  for (const [kind, probe] of Object.entries(probes)) {
    if (!probe?.httpGet) continue;
    if (!served.has(probe.httpGet.path ?? ""))
      problems.push(
        `${name}: ${kind} GETs ${probe.httpGet.path}, which the API does not serve (${[...served].join(", ")})`,
      );
    if (probePort(container, probe.httpGet.port) !== env.PORT)
      problems.push(`${name}: ${kind} port ${probe.httpGet.port} is not the API's port ${env.PORT}`);
  }

  const neededSeconds = preStopSeconds(container) + apiShutdownGraceMs() / 1000;
  const grace = deployment.spec?.template.spec?.terminationGracePeriodSeconds ?? 30;
  if (grace <= neededSeconds)
    problems.push(
      `${name}: terminationGracePeriodSeconds ${grace} must exceed preStop + the API's drain (${neededSeconds} s)`,
    );
  return problems;
}
