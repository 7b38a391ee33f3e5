import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { RouterConfig } from "@llmr/config";
import { DEFAULT_CONFIG_PATH, parseConfig } from "@llmr/config";
import { REPO_ROOT } from "@llmr/testing";
import { Env as ApiEnv } from "../../../apps/api/src/env.ts";
import { healthRouter } from "../../../apps/api/src/routes/health.ts";
import { Env as WorkerEnv } from "../../../apps/worker/src/env.ts";
import { WORKER_HTTP_PATHS } from "../../../apps/worker/src/http-server.ts";
import type { ManifestSet } from "./manifest-set.ts";

export { ApiEnv, REPO_ROOT, WorkerEnv };

/** The ConfigMap's name (as the generator names it) and its key holding the router config. */
export const ROUTER_CONFIG_MAP = "llmr-router-config";
export const ROUTER_CONFIG_KEY = "router.yaml";

/** The router config the pods get: the generated ConfigMap's router.yaml. */
export function routerConfigText(set: ManifestSet): string {
  const configMap = set.objects.find(
    ({ doc }) => doc.kind === "ConfigMap" && doc.metadata.name === ROUTER_CONFIG_MAP,
  );
  const text = (configMap?.doc.data as Record<string, string> | undefined)?.[ROUTER_CONFIG_KEY];
  if (text === undefined)
    throw new Error(`no ConfigMap ${ROUTER_CONFIG_MAP} with a ${ROUTER_CONFIG_KEY} key`);
  return text;
}

/**
 * The router config as the worker resolves it. Every provider key is given a dummy value here (the
 * checks prove separately that each Deployment supplies them), so this throws only on a bad config.
 */
export function resolveRouterConfig(text: string, env: Record<string, string> = {}): RouterConfig {
  return parseConfig(text, "infra/k8s/config/router.yaml", { env, requireProviderKeys: false });
}

/** The shipped default config, the shape the production config must keep. */
export function defaultConfigText(): string {
  return readFileSync(DEFAULT_CONFIG_PATH, "utf8");
}

/** A numeric constant of an app's entry point (e.g. a shutdown timer), read from its source. */
export function sourceConstantMs(file: string, name: string): number {
  const source = readFileSync(join(REPO_ROOT, file), "utf8");
  const match = new RegExp(`const ${name} = ([\\d_]+);`).exec(source);
  if (!match?.[1])
    throw new Error(`${file}: no "const ${name} = <number>;" (renamed? update infra/k8s/test)`);
  return Number(match[1].replaceAll("_", ""));
}

/** After the drain grace, how long the worker may take to hand jobs back before it exits anyway. */
export const workerForceAfterMs = () =>
  sourceConstantMs("apps/worker/src/main.ts", "SHUTDOWN_FORCE_AFTER_MS");
/** How long the API drains requests in flight after SIGTERM before it exits anyway. */
export const apiShutdownGraceMs = () => sourceConstantMs("apps/api/src/main.ts", "SHUTDOWN_GRACE_MS");

/** How long the worker's /readyz waits for Redis to answer PING before it says 503. */
export const workerReadyPingMs = () =>
  sourceConstantMs("apps/worker/src/worker-readiness.ts", "PING_TIMEOUT_MS");

/** The GET paths the worker's HTTP server serves (on WORKER_METRICS_PORT, when set). */
export const workerHttpPaths = (): string[] => [...WORKER_HTTP_PATHS];

/** The GET paths the API's health router serves (mounted at the root by apps/api/src/app.ts). */
export function apiHealthPaths(): string[] {
  // The Redis client is only used when a request comes in; listing the routes needs none.
  const router = healthRouter(undefined as never) as unknown as {
    stack: { route?: { path: string; methods: Record<string, boolean> } }[];
  };
  return router.stack.flatMap((layer) => (layer.route?.methods.get ? [layer.route.path] : []));
}
