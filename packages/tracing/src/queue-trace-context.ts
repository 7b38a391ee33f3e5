import type { Context } from "@opentelemetry/api";
import { context, propagation, ROOT_CONTEXT } from "@opentelemetry/api";

/**
 * The active trace context as a BullMQ job's `opts.telemetry.metadata`: the W3C `traceparent`
 * (and `tracestate`) as JSON, the format `bullmq-otel` writes, so a BullMQ worker with telemetry
 * on would continue the same trace. Undefined when there is no trace to carry (tracing off): the
 * job then carries nothing extra.
 *
 * @example
 * const metadata = traceMetadata();
 * await queue.add(name, data, { ...opts, ...(metadata ? { telemetry: { metadata } } : {}) });
 */
export function traceMetadata(): string | undefined {
  const carrier: Record<string, string> = {};
  propagation.inject(context.active(), carrier);
  return carrier.traceparent ? JSON.stringify(carrier) : undefined;
}

/**
 * The trace context a job was queued under (see {@link traceMetadata}), as the parent of the
 * spans that process it; the root context when the job carries none or something unreadable
 * (a job queued by an older version, or with tracing off), so its spans start a trace of their own.
 */
export function contextFromMetadata(metadata: string | undefined): Context {
  if (!metadata) return ROOT_CONTEXT;
  let carrier: unknown;
  try {
    carrier = JSON.parse(metadata);
  } catch {
    return ROOT_CONTEXT;
  }
  if (typeof carrier !== "object" || carrier === null) return ROOT_CONTEXT;
  return propagation.extract(ROOT_CONTEXT, carrier);
}
