import { execFileSync } from "node:child_process";
import { context, ROOT_CONTEXT, trace } from "@opentelemetry/api";
import { describe, expect, it } from "vitest";
import { traceLogFields } from "./log-trace-fields.ts";
import { traceMetadata } from "./queue-trace-context.ts";
import { startTracing } from "./start-tracing.ts";
import { TracingEnv, tracesEndpoint } from "./tracing-env.ts";

const INDEX_URL = new URL("./index.ts", import.meta.url).href;

/**
 * Starts tracing in a fresh Node process with `env` and reports which OpenTelemetry SDK modules it
 * loaded (a resolve hook sees every import), whether tracing is on and whether a span records.
 */
function startInChild(env: Record<string, string>) {
  const script = `
    import { registerHooks } from "node:module";
    const loaded = new Set();
    registerHooks({
      resolve(specifier, ctx, next) {
        if (specifier.startsWith("@opentelemetry/") && specifier !== "@opentelemetry/api") loaded.add(specifier);
        return next(specifier, ctx);
      },
    });
    const { startTracing, TracingEnv } = await import(${JSON.stringify(INDEX_URL)});
    const { trace } = await import("@opentelemetry/api");
    const tracing = await startTracing({ serviceName: "llmr-test", env: TracingEnv.parse(process.env) });
    const recording = trace.getTracer("test").startSpan("probe").isRecording();
    await tracing.shutdown();
    console.log(JSON.stringify({ enabled: tracing.enabled, recording, loaded: [...loaded].sort() }));
  `;
  const out = execFileSync(process.execPath, ["--input-type=module", "-e", script], {
    cwd: new URL("..", import.meta.url),
    env: { PATH: process.env.PATH ?? "", ...env },
    encoding: "utf8",
  });
  return JSON.parse(out.trim().split("\n").at(-1) ?? "{}") as {
    enabled: boolean;
    recording: boolean;
    loaded: string[];
  };
}

describe("startTracing", () => {
  it("without an OTLP endpoint starts nothing: no SDK loaded, no exporter, every span a no-op", () => {
    expect(startInChild({})).toEqual({ enabled: false, recording: false, loaded: [] });
  });

  it("with an endpoint loads the SDK and the OTLP exporter and records spans", () => {
    // Nothing is sent: the probe span never ends, and shutdown has nothing to flush.
    const started = startInChild({ OTEL_EXPORTER_OTLP_ENDPOINT: "http://127.0.0.1:9/" });
    expect(started).toMatchObject({ enabled: true, recording: true });
    expect(started.loaded).toEqual(
      expect.arrayContaining(["@opentelemetry/sdk-trace", "@opentelemetry/exporter-trace-otlp-http"]),
    );
  });

  it("OTEL_SDK_DISABLED=true wins over an endpoint", () => {
    expect(
      startInChild({ OTEL_EXPORTER_OTLP_ENDPOINT: "http://127.0.0.1:9", OTEL_SDK_DISABLED: "true" }),
    ).toEqual({ enabled: false, recording: false, loaded: [] });
  });

  it("off in this process: nothing is carried into a job and log lines get no ids", async () => {
    const tracing = await startTracing({ serviceName: "llmr-test", env: TracingEnv.parse({}) });
    expect(tracing).toMatchObject({ enabled: false, endpoint: undefined });
    const span = trace.getTracer("test").startSpan("probe");
    expect(span.isRecording()).toBe(false);
    context.with(trace.setSpan(ROOT_CONTEXT, span), () => {
      expect(traceMetadata()).toBeUndefined();
      expect(traceLogFields()).toEqual({});
    });
  });
});

describe("TracingEnv", () => {
  it("names the traces URL: the traces-only variable first, else the base URL + /v1/traces", () => {
    const endpoint = (env: Record<string, string>) => tracesEndpoint(TracingEnv.parse(env));
    expect(endpoint({})).toBeUndefined();
    expect(endpoint({ OTEL_EXPORTER_OTLP_ENDPOINT: "" })).toBeUndefined();
    expect(endpoint({ OTEL_EXPORTER_OTLP_ENDPOINT: "http://collector:4318/" })).toBe(
      "http://collector:4318/v1/traces",
    );
    expect(
      endpoint({
        OTEL_EXPORTER_OTLP_ENDPOINT: "http://collector:4318",
        OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: "http://traces:4318/custom",
      }),
    ).toBe("http://traces:4318/custom");
  });

  it("defaults to parent-based sampling, 5 s batches; refuses an unknown sampler or a ratio over 1", () => {
    expect(TracingEnv.parse({})).toMatchObject({
      OTEL_TRACES_SAMPLER: "parentbased_always_on",
      OTEL_TRACES_SAMPLER_ARG: 1,
      OTEL_BSP_SCHEDULE_DELAY: 5_000,
      OTEL_SDK_DISABLED: false,
    });
    const bad = TracingEnv.safeParse({ OTEL_TRACES_SAMPLER: "sometimes", OTEL_TRACES_SAMPLER_ARG: "2" });
    expect(bad.success).toBe(false);
    expect(bad.error?.issues.map((issue) => issue.path.join("."))).toEqual([
      "OTEL_TRACES_SAMPLER",
      "OTEL_TRACES_SAMPLER_ARG",
    ]);
  });
});
