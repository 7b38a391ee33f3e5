import type { IncomingMessage, Server, ServerResponse } from "node:http";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import type { KeyRing } from "@llmr/auth";
import { presentedToken } from "@llmr/auth";
import type { Readiness } from "./worker-readiness.ts";

/** What the server exposes: a prom-client registry, or anything that renders like one. */
export interface MetricsSource {
  readonly contentType: string;
  metrics(): Promise<string>;
}

export interface WorkerHttpServerOptions {
  source: MetricsSource;
  /** Who may scrape `/metrics`: the operator credential, as the API checks it. */
  operators: KeyRing;
  /** Answers `/readyz`; see `WorkerReadiness`. */
  readiness: () => Promise<Readiness>;
  host: string;
  /** `0` picks a free port; the listening one is in the result. */
  port: number;
}

type Handler = (options: WorkerHttpServerOptions, req: IncomingMessage, res: ServerResponse) => Promise<void>;

/**
 * Every route, by path; GET and HEAD only. The probes are open, as the API's are (the kubelet
 * sends no credential; they reveal only up/ready and a reason); `/metrics` is the operator's.
 */
const ROUTES: Readonly<Record<string, Handler>> = {
  // Liveness: answered from the event loop, which stays free while provider calls are awaited, so
  // a worker busy with 90 s calls still answers at once. Redis is not asked: a restart would not
  // bring it back, and would cut the calls in flight.
  "/healthz": async (_options, req, res) => json(req, res, 200, { status: "ok" }),
  "/readyz": async (options, req, res) => {
    const readiness = await options.readiness();
    if (readiness.ready) return json(req, res, 200, { status: "ready" });
    error(req, res, 503, "service_unavailable", `not ready: ${readiness.reason}`);
  },
  "/metrics": async (options, req, res) => {
    const presented = presentedToken(req.headers.authorization);
    if (!presented || !options.operators.identify(presented.secret)) {
      return error(req, res, 401, "authentication_error", "operator credential required", {
        "www-authenticate": 'Basic realm="llmr operator", charset="UTF-8"',
      });
    }
    try {
      const body = await options.source.metrics();
      res.writeHead(200, { "content-type": options.source.contentType, "cache-control": "no-store" });
      res.end(req.method === "HEAD" ? undefined : body);
    } catch {
      error(req, res, 500, "api_error", "could not collect the metrics");
    }
  },
};

/** The paths the worker's HTTP server serves (the k8s manifest checks aim the probes with these). */
export const WORKER_HTTP_PATHS: readonly string[] = Object.keys(ROUTES);

/**
 * The worker's HTTP server: `GET /healthz` (liveness), `GET /readyz` (readiness, 503 with the
 * reason) and `GET /metrics` (Prometheus text, behind the operator credential sent as a Bearer
 * token or a Basic password, exactly as the API's). Answers in the API's shapes: `{status}` on
 * success, `{error: {type, message}}` otherwise. Resolves once it listens.
 */
export async function startWorkerHttpServer(
  options: WorkerHttpServerOptions,
): Promise<{ server: Server; url: string }> {
  const server = createServer((req, res) => {
    void answer(options, req, res);
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port, options.host, () => resolve());
  });
  const { address, port } = server.address() as AddressInfo;
  const host = address.includes(":") ? `[${address}]` : address;
  return { server, url: `http://${host}:${port}` };
}

async function answer(options: WorkerHttpServerOptions, req: IncomingMessage, res: ServerResponse) {
  const path = (req.url ?? "/").split("?")[0] ?? "/";
  const route = Object.hasOwn(ROUTES, path) ? ROUTES[path] : undefined;
  if (!route) return error(req, res, 404, "not_found_error", `no route ${req.method} ${path}`);
  if (req.method !== "GET" && req.method !== "HEAD")
    return error(req, res, 405, "invalid_request_error", `only GET ${path}`, { allow: "GET, HEAD" });
  await route(options, req, res);
}

function json(req: IncomingMessage, res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { "content-type": "application/json", "cache-control": "no-store" });
  res.end(req.method === "HEAD" ? undefined : JSON.stringify(body));
}

function error(
  req: IncomingMessage,
  res: ServerResponse,
  status: number,
  type: string,
  message: string,
  headers: Record<string, string> = {},
): void {
  res.writeHead(status, { "content-type": "application/json", "cache-control": "no-store", ...headers });
  res.end(req.method === "HEAD" ? undefined : JSON.stringify({ error: { type, message } }));
}
