import type { Context, Span, SpanOptions, Tracer } from "@opentelemetry/api";
import { context, SpanStatusCode } from "@opentelemetry/api";

/** Options of {@link inSpan}. */
export interface InSpanOptions extends SpanOptions {
  /** The parent; the active context when absent. */
  parent?: Context;
  /**
   * Whether a thrown error means the span's work failed. Control-flow errors (BullMQ's "retry
   * later", "moved to delayed") are not failures: the span ends without an error status.
   * @defaultValue every error is a failure
   */
  isFailure?: (error: unknown) => boolean;
}

/**
 * Runs `fn` inside a new active span that ends when `fn` settles; a failure is recorded on it
 * (exception event, error status) and rethrown. With tracing off this is the API's no-op span
 * and `fn` runs as it would without it.
 *
 * @example
 * const record = await inSpan(tracer, "llmr.submit", {}, async (span) => { … });
 */
export function inSpan<T>(
  tracer: Tracer,
  name: string,
  options: InSpanOptions,
  fn: (span: Span) => Promise<T>,
): Promise<T> {
  const { parent, isFailure, ...spanOptions } = options;
  return tracer.startActiveSpan(name, spanOptions, parent ?? context.active(), async (span) => {
    try {
      return await fn(span);
    } catch (error) {
      if (isFailure?.(error) ?? true) markFailed(span, error);
      throw error;
    } finally {
      span.end();
    }
  });
}

/** Records `error` on `span` as its exception and marks the span failed. */
export function markFailed(span: Span, error: unknown): void {
  const message = error instanceof Error ? error.message : String(error);
  span.recordException(error instanceof Error ? error : message);
  span.setStatus({ code: SpanStatusCode.ERROR, message });
}
