import { traceLogFields } from "@llmr/tracing";
import { pino } from "pino";

/**
 * Secrets never reach the logs: auth headers, API keys and provider keys are censored wherever
 * they appear in a logged object.
 */
export const REDACT_PATHS = [
  "req.headers.authorization",
  "req.headers.cookie",
  'req.headers["x-api-key"]',
  'res.headers["set-cookie"]',
  "apiKey",
  "api_key",
  "authorization",
  "*.apiKey",
  "*.api_key",
  "*.authorization",
];

/**
 * @param options.traceFields - every line written inside a span carries its `trace_id` and
 *   `span_id` (pino's mixin, called per line: installed only when tracing is on). @defaultValue false
 */
export function createLogger(level: string, name: string, options: { traceFields?: boolean } = {}) {
  return pino({
    name,
    level,
    redact: { paths: REDACT_PATHS, censor: "[redacted]" },
    ...(options.traceFields ? { mixin: traceLogFields } : {}),
  });
}
export type Logger = ReturnType<typeof createLogger>;
