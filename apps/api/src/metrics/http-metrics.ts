import type { ApiMetrics } from "@llmr/metrics";
import type { Request, RequestHandler } from "express";

/** Methods kept as they are; anything else is `other`, so a client cannot mint label values. */
const METHODS: ReadonlySet<string> = new Set(["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"]);

/**
 * Times every request from arrival to the end of its answer (for a stream: until it closed) into
 * `llmr_http_request_duration_seconds`, labelled by the route template that answered
 * (`/v1/jobs/:id`), never by the URL itself: ids and query strings would make the label unbounded.
 * A request answered before any route matched (401, 429, a body error, 404) is `unmatched`.
 * In-memory only: one clock read at each end and one histogram observation.
 */
export function httpMetrics(histogram: ApiMetrics["httpDuration"]): RequestHandler {
  return (req, res, next) => {
    const startedAt = performance.now();
    res.once("close", () => {
      histogram.observe(
        {
          method: METHODS.has(req.method) ? req.method : "other",
          route: routeTemplate(req),
          status_class: `${Math.floor(res.statusCode / 100)}xx`,
        },
        (performance.now() - startedAt) / 1000,
      );
    });
    next();
  };
}

function routeTemplate(req: Request): string {
  const path: unknown = req.route?.path;
  return typeof path === "string" ? `${req.baseUrl}${path}` : "unmatched";
}
