import type { IncomingMessage, ServerResponse } from "node:http";
import { createServer, request as forwardRequest } from "node:http";
import type { AddressInfo } from "node:net";

/**
 * An HTTP error a vendor can send that the simulator's `[[sim fault=…]]` marker does not offer
 * (403, 404, 408, 409, 422, 502, …).
 */
export interface StatusFault {
  /** Requests whose body contains this text get the fault (put it in the job's prompt). */
  tag: string;
  status: number;
  /** The vendor's error message; `{key}` becomes the request's API key, as vendors echo (parts of) it. */
  message: string;
  /** How many matching requests get it; later ones are forwarded. @defaultValue 1 */
  times?: number;
}

/** One request the proxy saw, in arrival order. */
export interface SeenRequest {
  /** `/v1/chat/completions` (OpenAI) or `/v1/messages` (Anthropic). */
  path: string;
  /** The injected status, or `forwarded` when the simulator answered. */
  answer: number | "forwarded";
}

export interface StatusFaultProxy {
  readonly url: string;
  inject(fault: StatusFault): void;
  /** The requests whose body contained `text`, in arrival order. */
  seen(text: string): SeenRequest[];
  close(): Promise<void>;
}

/**
 * A reverse proxy in front of the simulator that answers chosen requests with a chosen status, in
 * the vendor's own error shape (so the real SDKs raise their real error classes), and forwards the
 * rest untouched, faults and hangs of the simulator included. A fake at the edge of the world only:
 * the router talks to it exactly as it talks to a vendor.
 */
export async function startStatusFaultProxy(targetUrl: string): Promise<StatusFaultProxy> {
  const target = new URL(targetUrl);
  const faults: Array<Required<StatusFault>> = [];
  const seen: Array<SeenRequest & { body: string }> = [];

  const server = createServer((req, res) => {
    void readBody(req).then((body) => {
      const text = body.toString("utf8");
      const path = req.url ?? "/";
      const fault = faults.find((candidate) => candidate.times > 0 && text.includes(candidate.tag));
      seen.push({ body: text, path, answer: fault ? fault.status : "forwarded" });
      if (fault) {
        fault.times -= 1;
        answerWithFault(req, res, fault);
        return;
      }
      forward(target, req, res, body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    inject: (fault) => faults.push({ times: 1, ...fault }),
    seen: (text) =>
      seen.filter((request) => request.body.includes(text)).map(({ path, answer }) => ({ path, answer })),
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

function apiKeyOf(req: IncomingMessage): string {
  const header = req.headers["x-api-key"] ?? req.headers.authorization ?? "";
  return (Array.isArray(header) ? (header[0] ?? "") : header).replace(/^Bearer\s+/i, "");
}

/** Anthropic's error `type` per status (docs.anthropic.com/en/api/errors). */
function anthropicErrorType(status: number): string {
  const types: Record<number, string> = {
    400: "invalid_request_error",
    401: "authentication_error",
    403: "permission_error",
    404: "not_found_error",
    408: "timeout_error",
    409: "invalid_request_error",
    413: "request_too_large",
    422: "invalid_request_error",
    429: "rate_limit_error",
    529: "overloaded_error",
  };
  return types[status] ?? "api_error";
}

function answerWithFault(req: IncomingMessage, res: ServerResponse, fault: Required<StatusFault>): void {
  const message = fault.message.replaceAll("{key}", apiKeyOf(req));
  const anthropic = (req.url ?? "").endsWith("/messages");
  const body = anthropic
    ? { type: "error", error: { type: anthropicErrorType(fault.status), message }, request_id: "req_proxy" }
    : {
        error: {
          message,
          type: fault.status >= 500 ? "server_error" : "invalid_request_error",
          param: null,
          code: null,
        },
      };
  res.writeHead(fault.status, { "content-type": "application/json" });
  res.end(JSON.stringify(body));
}

function forward(target: URL, req: IncomingMessage, res: ServerResponse, body: Buffer): void {
  const upstream = forwardRequest(
    {
      hostname: target.hostname,
      port: target.port,
      path: req.url,
      method: req.method,
      headers: { ...req.headers, host: target.host, "content-length": String(body.length) },
    },
    (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    },
  );
  // The simulator cut the socket (fault=reset): cut the client's too, so it sees what a vendor's
  // reset looks like. The client went away (an abort): let the simulator see it go away as well.
  upstream.on("error", () => res.destroy());
  res.on("close", () => {
    if (!res.writableFinished) upstream.destroy();
  });
  upstream.end(body);
}
