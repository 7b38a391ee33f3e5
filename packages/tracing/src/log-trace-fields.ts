import { isSpanContextValid, trace } from "@opentelemetry/api";

/** The ids a log line carries so it can be found from its trace (and the trace from it). */
export interface TraceLogFields {
  trace_id?: string;
  span_id?: string;
  trace_flags?: string;
}

/**
 * The active span's ids for a log line, or nothing outside a span; meant as pino's `mixin`, which
 * pino calls for every line. The field names are the ones the OpenTelemetry pino instrumentation
 * uses, so log backends link them to traces as they are.
 *
 * @example
 * pino({ mixin: tracing.enabled ? traceLogFields : undefined });
 */
export function traceLogFields(): TraceLogFields {
  const spanContext = trace.getActiveSpan()?.spanContext();
  if (!spanContext || !isSpanContextValid(spanContext)) return {};
  return {
    trace_id: spanContext.traceId,
    span_id: spanContext.spanId,
    trace_flags: `0${spanContext.traceFlags.toString(16)}`,
  };
}
