import { z } from "zod";

/** The samplers of the OpenTelemetry spec's `OTEL_TRACES_SAMPLER` that this router supports. */
export const SAMPLERS = [
  "always_on",
  "always_off",
  "traceidratio",
  "parentbased_always_on",
  "parentbased_always_off",
  "parentbased_traceidratio",
] as const;
export type SamplerName = (typeof SAMPLERS)[number];

const optionalText = z
  .string()
  .optional()
  .transform((value) => (value?.trim() ? value.trim() : undefined));

/**
 * The standard OpenTelemetry variables a process of the router reads (spread into each app's
 * `Env`). Tracing is off, at no cost, unless an OTLP endpoint is set: no SDK is loaded and every
 * span the packages start is the API's no-op span.
 */
export const TracingEnv = z.object({
  /**
   * OTLP/HTTP collector base URL (`http://otel-collector:4318`); spans go to `<it>/v1/traces` as
   * OTLP JSON. Setting it (or the traces-only variable below) turns tracing on.
   */
  OTEL_EXPORTER_OTLP_ENDPOINT: optionalText.pipe(z.url().optional()),
  /** Full URL for traces only (`…/v1/traces` included); wins over `OTEL_EXPORTER_OTLP_ENDPOINT`. */
  OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: optionalText.pipe(z.url().optional()),
  /** `true` turns tracing off whatever the endpoint says (the spec's kill switch). */
  OTEL_SDK_DISABLED: z
    .enum(["true", "false", ""])
    .optional()
    .transform((value) => value === "true"),
  /** `service.name` of the spans; the app's default (`llmr-api`, `llmr-worker`) when unset. */
  OTEL_SERVICE_NAME: optionalText,
  /**
   * Which traces are kept. The default follows the caller's decision and keeps every trace that
   * starts here; `parentbased_traceidratio` with `OTEL_TRACES_SAMPLER_ARG=0.1` keeps one in ten.
   */
  OTEL_TRACES_SAMPLER: z.enum(SAMPLERS).default("parentbased_always_on"),
  /** The ratio for the `*traceidratio` samplers, from 0 to 1. */
  OTEL_TRACES_SAMPLER_ARG: z.coerce.number().min(0).max(1).default(1),
  /** How long finished spans wait to be sent in one batch, in ms (the spec's default: 5 s). */
  OTEL_BSP_SCHEDULE_DELAY: z.coerce.number().int().min(0).default(5_000),
});
export type TracingEnv = z.infer<typeof TracingEnv>;

/** The OTLP endpoint spans go to, or undefined when tracing is off. */
export function tracesEndpoint(env: TracingEnv): string | undefined {
  if (env.OTEL_SDK_DISABLED) return undefined;
  if (env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT) return env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT;
  const base = env.OTEL_EXPORTER_OTLP_ENDPOINT;
  return base ? `${base.replace(/\/+$/, "")}/v1/traces` : undefined;
}
