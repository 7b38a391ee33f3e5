import { context, propagation, trace } from "@opentelemetry/api";
import { AsyncLocalStorageContextManager } from "@opentelemetry/context-async-hooks";
import { W3CTraceContextPropagator } from "@opentelemetry/core";
import { OTLPTraceExporter } from "@opentelemetry/exporter-trace-otlp-http";
import {
  defaultResource,
  detectResources,
  resourceAttributesEnvDetector,
  resourceFromAttributes,
} from "@opentelemetry/resources";
import { BatchSpanProcessor, TracerProvider } from "@opentelemetry/sdk-trace";
import { samplerFromEnv } from "./sampler-from-env.ts";
import type { TracingEnv } from "./tracing-env.ts";

/**
 * Registers the trace SDK as the process's global tracer provider: spans are batched and sent as
 * OTLP JSON to `url`. Loaded only when tracing is on (see `startTracing`), so a process without
 * an endpoint never loads the SDK. Returns the provider, whose `shutdown` flushes what is left.
 */
export function registerTracerProvider(options: {
  url: string;
  serviceName: string;
  env: TracingEnv;
}): TracerProvider {
  const { env } = options;
  // service.name: the app's default < OTEL_RESOURCE_ATTRIBUTES < OTEL_SERVICE_NAME (the spec's order).
  const resource = defaultResource()
    .merge(resourceFromAttributes({ "service.name": options.serviceName }))
    .merge(detectResources({ detectors: [resourceAttributesEnvDetector] }))
    .merge(env.OTEL_SERVICE_NAME ? resourceFromAttributes({ "service.name": env.OTEL_SERVICE_NAME }) : null);
  const provider = new TracerProvider({
    resource,
    sampler: samplerFromEnv(env.OTEL_TRACES_SAMPLER, env.OTEL_TRACES_SAMPLER_ARG),
    spanProcessors: [
      new BatchSpanProcessor({
        // Headers and timeout still come from OTEL_EXPORTER_OTLP_HEADERS / _TIMEOUT, read by the exporter.
        exporter: new OTLPTraceExporter({ url: options.url }),
        scheduledDelayMillis: env.OTEL_BSP_SCHEDULE_DELAY,
      }),
    ],
  });
  // Context follows async calls (a request's handlers, a job's awaits) through AsyncLocalStorage.
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  // W3C trace context only: baggage from a client is not carried into Redis with every job.
  propagation.setGlobalPropagator(new W3CTraceContextPropagator());
  trace.setGlobalTracerProvider(provider);
  return provider;
}
