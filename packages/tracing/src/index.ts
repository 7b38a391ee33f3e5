export type { InSpanOptions } from "./in-span.ts";
export { inSpan, markFailed } from "./in-span.ts";
export type { TraceLogFields } from "./log-trace-fields.ts";
export { traceLogFields } from "./log-trace-fields.ts";
export { contextFromMetadata, traceMetadata } from "./queue-trace-context.ts";
export type { Tracing } from "./start-tracing.ts";
export { startTracing } from "./start-tracing.ts";
export type { SamplerName } from "./tracing-env.ts";
export { SAMPLERS, TracingEnv, tracesEndpoint } from "./tracing-env.ts";
