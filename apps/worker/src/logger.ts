import { traceLogFields } from "@llmr/tracing";
import { pino } from "pino";

/**
 * Provider keys and auth headers are censored wherever they appear in a logged object.
 *
 * @param options.traceFields - every line written inside a span (a job's run, a webhook try)
 *   carries its `trace_id` and `span_id` (pino's mixin, called per line: installed only when
 *   tracing is on). @defaultValue false
 */
export function createLogger(level: string, name: string, options: { traceFields?: boolean } = {}) {
  return pino({
    name,
    level,
    redact: {
      paths: [
        "apiKey",
        "api_key",
        "authorization",
        "*.apiKey",
        "*.api_key",
        "*.authorization",
        "*.headers.authorization",
      ],
      censor: "[redacted]",
    },
    ...(options.traceFields ? { mixin: traceLogFields } : {}),
  });
}
export type Logger = ReturnType<typeof createLogger>;
