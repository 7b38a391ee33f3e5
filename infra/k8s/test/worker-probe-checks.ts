import type { IDeployment } from "kubernetes-models/apps/v1/Deployment";
import type { ManifestSet } from "./manifest-set.ts";
import { WorkerEnv, workerHttpPaths, workerReadyPingMs } from "./repo-facts.ts";
import {
  containerEnv,
  deploymentName,
  deploymentsRunning,
  mainContainer,
  probePort,
} from "./workload-helpers.ts";

/**
 * How long a worker's liveness probe must tolerate no answer before the kubelet restarts it: a GC
 * pause or a burst of answer checking must never cut the calls a worker has in flight.
 */
const MIN_LIVENESS_TOLERANCE_S = 30;

/**
 * The worker Deployments' HTTP server (`WORKER_METRICS_PORT`): it must listen where the probes
 * look, the probes must hit the routes the worker serves (read from its code), liveness must not
 * follow readiness, and `/metrics` must have the operator credential to check scrapes against.
 */
export function workerProbeProblems(set: ManifestSet): string[] {
  const served = new Set(workerHttpPaths());
  return deploymentsRunning(set, "worker").flatMap((deployment) => oneWorkerProblems(deployment, served));
}

function oneWorkerProblems(deployment: IDeployment, served: Set<string>): string[] {
  const name = `Deployment ${deploymentName(deployment)}`;
  const container = mainContainer(deployment);
  const rawEnv = containerEnv(container, (key) => `<${key}>`);
  // An env the worker refuses is reported by workerProblems.
  const parsed = WorkerEnv.safeParse(rawEnv);
  if (!parsed.success) return [];
  const { WORKER_METRICS_PORT: port, WORKER_METRICS_HOST: host } = parsed.data;
  if (port === undefined || port === 0)
    return [
      `${name}: set WORKER_METRICS_PORT to a fixed port (without it nothing listens: no probes, no metrics)`,
    ];
  const problems: string[] = [];
  // The default 127.0.0.1 is unreachable from the kubelet's probes and from Prometheus.
  if (host !== "0.0.0.0") problems.push(`${name}: WORKER_METRICS_HOST must be 0.0.0.0, is ${host}`);
  if (!container?.ports?.some((candidate) => candidate.containerPort === port))
    problems.push(
      `${name}: the worker listens on ${port} (WORKER_METRICS_PORT) but declares no such containerPort`,
    );
  if (!("LLMR_OPERATOR_TOKEN" in rawEnv))
    problems.push(`${name}: no LLMR_OPERATOR_TOKEN, so /metrics would answer 401 to every scrape`);

  const probes = {
    readinessProbe: container?.readinessProbe,
    livenessProbe: container?.livenessProbe,
    startupProbe: container?.startupProbe,
  };
  if (probes.readinessProbe?.httpGet?.path !== "/readyz")
    problems.push(
      `${name}: readinessProbe must GET /readyz (Redis ready, tier workers running, not draining)`,
    );
  if (probes.livenessProbe?.httpGet?.path !== "/healthz")
    problems.push(
      `${name}: livenessProbe must GET /healthz (/readyz is 503 while draining and while Redis is down; a restart fixes neither and cuts the calls in flight)`,
    );
  for (const [kind, probe] of Object.entries(probes)) {
    if (!probe) continue;
    if (!probe.httpGet) {
      problems.push(`${name}: ${kind} must be an httpGet on the worker's routes (${[...served].join(", ")})`);
      continue;
    }
    if (!served.has(probe.httpGet.path ?? ""))
      problems.push(
        `${name}: ${kind} GETs ${probe.httpGet.path}, which the worker does not serve (${[...served].join(", ")})`,
      );
    if (probePort(container, probe.httpGet.port) !== port)
      problems.push(`${name}: ${kind} port ${probe.httpGet.port} is not the worker's port ${port}`);
  }

  const pingMs = workerReadyPingMs();
  const readyTimeoutS = probes.readinessProbe?.timeoutSeconds ?? 1;
  if (readyTimeoutS * 1000 <= pingMs)
    problems.push(
      `${name}: readinessProbe timeoutSeconds ${readyTimeoutS} must exceed /readyz's own ${pingMs} ms wait for Redis`,
    );
  const liveness = probes.livenessProbe;
  const toleranceS = (liveness?.periodSeconds ?? 10) * (liveness?.failureThreshold ?? 3);
  if (liveness && toleranceS < MIN_LIVENESS_TOLERANCE_S)
    problems.push(
      `${name}: livenessProbe restarts after ${toleranceS} s without an answer (periodSeconds x failureThreshold); allow at least ${MIN_LIVENESS_TOLERANCE_S} s so a pause never cuts the calls in flight`,
    );
  return problems;
}
