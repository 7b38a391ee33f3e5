import type { TracingEnv } from "./tracing-env.ts";
import { tracesEndpoint } from "./tracing-env.ts";

/** What `startTracing` started, if anything. */
export interface Tracing {
  /** True when spans are exported; false means the API's no-op tracer and no SDK loaded. */
  readonly enabled: boolean;
  /** Where spans go (the OTLP traces URL), when enabled. */
  readonly endpoint: string | undefined;
  /** Sends the spans still batched and stops the exporter; call it before the process exits. */
  shutdown(): Promise<void>;
}

const OFF: Tracing = { enabled: false, endpoint: undefined, shutdown: async () => undefined };

/**
 * Turns tracing on for this process when `env` names an OTLP endpoint: the trace SDK, the
 * AsyncLocalStorage context manager and the W3C `traceparent` propagator are registered globally,
 * so the spans the packages start through `@opentelemetry/api` are recorded and exported. Without
 * an endpoint nothing is loaded or registered: the packages' spans stay the API's no-op spans.
 *
 * @example
 * const tracing = await startTracing({ serviceName: "llmr-worker", env });
 * // on shutdown: await tracing.shutdown();
 */
export async function startTracing(options: { serviceName: string; env: TracingEnv }): Promise<Tracing> {
  const url = tracesEndpoint(options.env);
  if (!url) return OFF;
  // Loaded only now: a process with tracing off never loads the SDK or the exporter.
  const { registerTracerProvider } = await import("./sdk-provider.ts");
  const provider = registerTracerProvider({ url, serviceName: options.serviceName, env: options.env });
  return { enabled: true, endpoint: url, shutdown: () => provider.shutdown() };
}
