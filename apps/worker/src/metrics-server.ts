import type { IncomingMessage, Server, ServerResponse } from "node:http";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import type { KeyRing } from "@llmr/auth";
import { presentedToken } from "@llmr/auth";

/** What the server exposes: a prom-client registry, or anything that renders like one. */
export interface MetricsSource {
  readonly contentType: string;
  metrics(): Promise<string>;
}

export interface MetricsServerOptions {
  source: MetricsSource;
  /** Who may scrape: the operator credential, as the API checks it. */
  operators: KeyRing;
  host: string;
  /** `0` picks a free port; the listening one is in the result. */
  port: number;
}

/**
 * The worker's own `GET /metrics` (Prometheus text), behind the operator credential sent as a
 * Bearer token (or a Basic password), exactly as the API's `/metrics`. Nothing else is served.
 * Resolves once it listens.
 */
export async function startMetricsServer(
  options: MetricsServerOptions,
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
  return { server, url: `http://${host}:${port}/metrics` };
}

async function answer(
  options: MetricsServerOptions,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const path = (req.url ?? "/").split("?")[0];
  if (path !== "/metrics") return error(res, 404, "not_found_error", `no route ${req.method} ${path}`);
  if (req.method !== "GET" && req.method !== "HEAD")
    return error(res, 405, "invalid_request_error", "only GET /metrics", { allow: "GET, HEAD" });
  const presented = presentedToken(req.headers.authorization);
  if (!presented || !options.operators.identify(presented.secret)) {
    return error(res, 401, "authentication_error", "operator credential required", {
      "www-authenticate": 'Basic realm="llmr operator", charset="UTF-8"',
    });
  }
  try {
    const body = await options.source.metrics();
    res.writeHead(200, { "content-type": options.source.contentType, "cache-control": "no-store" });
    res.end(req.method === "HEAD" ? undefined : body);
  } catch {
    error(res, 500, "api_error", "could not collect the metrics");
  }
}

function error(
  res: ServerResponse,
  status: number,
  type: string,
  message: string,
  headers: Record<string, string> = {},
): void {
  const body = JSON.stringify({ error: { type, message } });
  res.writeHead(status, { "content-type": "application/json", ...headers });
  res.end(body);
}
