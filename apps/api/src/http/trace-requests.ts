import type { Context } from "@opentelemetry/api";
import { context, propagation, ROOT_CONTEXT, SpanKind, SpanStatusCode, trace } from "@opentelemetry/api";
import type { Request, RequestHandler } from "express";

/** Probes and scrapes: frequent, never part of a job's story, so never traced. */
const UNTRACED_PATHS: ReadonlySet<string> = new Set(["/healthz", "/readyz", "/metrics"]);
/** The operator's dashboard (bull-board's page, its assets and polling): a span per asset is noise. */
const UNTRACED_PREFIX = "/admin/";

const tracer = trace.getTracer("@llmr/api");

/**
 * The HTTP server span of every request (`POST /v1/jobs`), active while its handlers run, so the
 * spans they start (`llmr.submit`, the enqueue) and the log lines they write belong to it. A
 * caller's W3C `traceparent` is continued, so the router's spans join the caller's trace. Named
 * and labelled by the route template once a route answered; no query string, header or body is
 * recorded. Installed only when tracing is on: with it off, requests pay nothing.
 */
export function traceRequests(): RequestHandler {
  return (req, res, next) => {
    if (UNTRACED_PATHS.has(req.path) || req.path.startsWith(UNTRACED_PREFIX)) {
      next();
      return;
    }
    const parent: Context = propagation.extract(ROOT_CONTEXT, req.headers);
    const span = tracer.startSpan(
      req.method,
      {
        kind: SpanKind.SERVER,
        attributes: {
          "http.request.method": req.method,
          "url.path": req.path,
          "url.scheme": req.protocol,
          "network.protocol.version": req.httpVersion,
        },
      },
      parent,
    );
    res.once("close", () => {
      const route = routeTemplate(req);
      if (route) {
        span.updateName(`${req.method} ${route}`);
        span.setAttribute("http.route", route);
      }
      const requestId = res.getHeader("x-request-id");
      if (typeof requestId === "string") span.setAttribute("llmr.request_id", requestId);
      span.setAttribute("http.response.status_code", res.statusCode);
      // The HTTP conventions: a 4xx is the client's error, not the server's.
      if (res.statusCode >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
      span.end();
    });
    context.with(trace.setSpan(parent, span), next);
  };
}

function routeTemplate(req: Request): string | undefined {
  const path: unknown = req.route?.path;
  return typeof path === "string" ? `${req.baseUrl}${path}` : undefined;
}
