import type { PublicJob } from "@llmr/core";
import type { RunningSimulator } from "@llmr/simulator";
import { simMarker, startSimulator } from "@llmr/simulator";
import type { AppProcess, WebhookReceiver } from "@llmr/testing";
import {
  findFreePort,
  redisFixture,
  startAppProcess,
  startWebhookReceiver,
  waitUntilReady,
} from "@llmr/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { jobFrom } from "./api-answers.ts";
import type { OtlpCollector, ReceivedSpan } from "./otlp-collector.ts";
import { startOtlpCollector } from "./otlp-collector.ts";
import { writeRouterConfig } from "./router-config-file.ts";

const API_KEY = "llmr_e2e_tracing_0123456789abcdef01234567";
const SERVER = 2;
const CLIENT = 3;
const PRODUCER = 4;
const CONSUMER = 5;
const redis = redisFixture();
let simulator: RunningSimulator;
let collector: OtlpCollector;
let api: AppProcess;
let worker: AppProcess;
let apiUrl: string;

let receiver: WebhookReceiver;

beforeAll(async () => {
  simulator = await startSimulator({ port: 0, latencyScale: 0 });
  collector = await startOtlpCollector();
  receiver = await startWebhookReceiver();
  const configPath = writeRouterConfig(redis.prefix, "webhooks:\n  allow_private_targets: true\n");
  const port = await findFreePort();
  apiUrl = `http://127.0.0.1:${port}`;
  const env = {
    ...redis.env,
    ROUTER_CONFIG: configPath,
    SIMULATOR_URL: simulator.url,
    OTEL_EXPORTER_OTLP_ENDPOINT: collector.url,
    // Batches every 100 ms instead of 5 s, so the test does not wait on the exporter.
    OTEL_BSP_SCHEDULE_DELAY: "100",
  };
  api = startAppProcess("api", { ...env, PORT: String(port), LLMR_API_KEYS: `tracing:${API_KEY}` });
  worker = startAppProcess("worker", env);
  await waitUntilReady(api, `${apiUrl}/readyz`);
});

afterAll(async () => {
  await Promise.all([api?.stop(), worker?.stop()]);
  await simulator?.close();
  await collector?.close();
  await receiver?.close();
});

const headers = { authorization: `Bearer ${API_KEY}`, "content-type": "application/json" };

async function finished(id: string): Promise<PublicJob> {
  for (;;) {
    const job = await jobFrom(await fetch(`${apiUrl}/v1/jobs/${id}?wait=10`, { headers }));
    if (["succeeded", "failed", "cancelled"].includes(job.status)) return job;
  }
}

/** The span's ancestors, nearest first, as far as the spans received reach. */
function ancestors(span: ReceivedSpan, byId: Map<string, ReceivedSpan>): ReceivedSpan[] {
  const chain: ReceivedSpan[] = [];
  for (let parent = byId.get(span.parentSpanId); parent; parent = byId.get(parent.parentSpanId)) {
    chain.push(parent);
  }
  return chain;
}

/** The JSON log lines of `app` that name the job. */
function logLinesOf(app: AppProcess, jobId: string): Array<Record<string, unknown>> {
  return app
    .output()
    .split("\n")
    .filter((line) => line.startsWith("{") && line.includes(jobId))
    .map((line) => JSON.parse(line) as Record<string, unknown>)
    .filter((line) => line.job_id === jobId);
}

describe("tracing with an OTLP collector", () => {
  it("one job is one connected trace: HTTP request → submit → queue → each hop → each call → webhook", async () => {
    const hookUrl = receiver.url;
    // Cut short on the fast tier: fails the truncated check and escalates to capable.
    const res = await fetch(`${apiUrl}/v1/jobs`, {
      method: "POST",
      headers,
      body: JSON.stringify({
        input: `${simMarker({ fault: "truncate", times: 1 })} Explain tides.`,
        webhook: { url: hookUrl },
      }),
    });
    expect(res.status).toBe(202);
    const id = (await jobFrom(res)).id;
    const job = await finished(id);
    expect(job.status).toBe("succeeded");
    expect(job.attempts).toHaveLength(2);

    // The spans arrive in batches from two processes; the webhook's try is the last to end.
    const ofJob = () => collector.spans.filter((span) => span.attributes["llmr.job.id"] === id);
    await expect
      .poll(() => ofJob().filter((span) => span.name === "llmr.webhook.delivery").length, { timeout: 15_000 })
      .toBe(1);
    expect(receiver.received).toHaveLength(1);

    const server = collector.spans.find(
      (span) => span.name === "POST /v1/jobs" && span.attributes["http.response.status_code"] === 202,
    );
    if (!server) throw new Error(`no server span; got ${collector.spans.map((s) => s.name).join(", ")}`);
    expect(server).toMatchObject({ service: "llmr-api", kind: SERVER, parentSpanId: "" });
    expect(server.attributes).toMatchObject({ "http.route": "/v1/jobs", "http.request.method": "POST" });

    // One trace: every span about the job, from both processes, is in the request's trace.
    const trace = collector.spans.filter((span) => span.traceId === server.traceId);
    expect(new Set(ofJob().map((span) => span.traceId))).toEqual(new Set([server.traceId]));
    const byId = new Map(trace.map((span) => [span.spanId, span]));
    const named = (name: string) => trace.filter((span) => span.name === name);

    const [submit] = named("llmr.submit");
    expect(submit).toMatchObject({ service: "llmr-api", parentSpanId: server.spanId });
    expect(submit?.attributes).toMatchObject({
      "llmr.job.id": id,
      "llmr.task": job.task,
      "llmr.tier": "fast",
      "llmr.routing.reason": job.routing.reason,
    });

    // Two hops: fast (escalated) then capable, each queued under the span that decided it.
    const runs = named("llmr.process");
    expect(runs.map((run) => [run.attributes["llmr.hop"], run.attributes["llmr.process.outcome"]])).toEqual([
      [1, "escalated"],
      [2, "accept"],
    ]);
    for (const run of runs) {
      expect(run).toMatchObject({ service: "llmr-worker", kind: CONSUMER });
      const parent = byId.get(run.parentSpanId);
      expect(parent).toMatchObject({
        name: "llmr.enqueue",
        kind: PRODUCER,
        attributes: { "llmr.job.id": id },
      });
    }
    const [first, second] = runs as [ReceivedSpan, ReceivedSpan];
    expect(ancestors(first, byId).map((span) => span.name)).toEqual([
      "llmr.enqueue",
      "llmr.submit",
      "POST /v1/jobs",
    ]);
    expect(
      ancestors(second, byId)
        .slice(0, 2)
        .map((span) => span.spanId),
    ).toEqual([second.parentSpanId, first.spanId]);
    // The routing decisions are events of the runs.
    expect(first.events.map((event) => event.name)).toEqual(
      expect.arrayContaining(["llmr.dispatch", "llmr.escalated"]),
    );
    expect(first.events.find((event) => event.name === "llmr.escalated")?.attributes).toMatchObject({
      "llmr.from_tier": "fast",
      "llmr.to_tier": "capable",
      "llmr.cause": "quality_failed",
    });

    // Each provider call: a client span under its run, with the model, tokens, cost and verdicts.
    const calls = named("llmr.attempt");
    expect(calls).toHaveLength(2);
    for (const [i, attempt] of job.attempts.entries()) {
      const call = calls.find((span) => span.attributes["llmr.attempt.n"] === attempt.n);
      expect(call).toMatchObject({ service: "llmr-worker", kind: CLIENT, parentSpanId: runs[i]?.spanId });
      expect(call?.attributes).toMatchObject({
        "gen_ai.system": "openai",
        "gen_ai.request.model": attempt.model,
        "gen_ai.usage.input_tokens": attempt.usage.input_tokens,
        "gen_ai.usage.output_tokens": attempt.usage.output_tokens,
        "llmr.attempt.outcome": attempt.outcome,
        "llmr.cost_usd": attempt.cost_usd,
        "llmr.tier": attempt.tier,
      });
      expect(call?.events.filter((event) => event.name === "llmr.check")).toHaveLength(attempt.checks.length);
    }
    expect(
      calls.find((span) => span.attributes["llmr.attempt.outcome"] === "quality_failed")?.events,
    ).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          name: "llmr.check",
          attributes: expect.objectContaining({ "llmr.check.name": "truncated", "llmr.check.passed": false }),
        }),
      ]),
    );

    // The webhook's try, queued by the run that finished the job.
    const [delivery] = named("llmr.webhook.delivery");
    expect(delivery).toMatchObject({ service: "llmr-worker", kind: CONSUMER });
    expect(delivery?.attributes).toMatchObject({
      "llmr.webhook.event": "job.succeeded",
      "http.response.status_code": 200,
      "llmr.webhook.outcome": "delivered",
    });
    expect(JSON.stringify(delivery?.attributes)).not.toContain("/hook");
    expect(ancestors(delivery as ReceivedSpan, byId).map((span) => span.spanId)).toContain(second.spanId);

    // Every log line about the job carries the trace id, on both processes.
    const workerLines = logLinesOf(worker, id);
    expect(workerLines.length).toBeGreaterThanOrEqual(4);
    for (const line of workerLines)
      expect(line, String(line.msg)).toMatchObject({ trace_id: server.traceId });
    const accepted = logLinesOf(api, id).find((line) => String(line.msg).startsWith("job accepted"));
    expect(accepted).toMatchObject({ trace_id: server.traceId });
  });

  it("continues a caller's trace (W3C traceparent) and leaves probes untraced", async () => {
    const traceId = "4bf92f3577b34da6a3ce929d0e0e4736";
    const callerSpan = "00f067aa0ba902b7";
    const res = await fetch(`${apiUrl}/v1/jobs`, {
      method: "POST",
      headers: { ...headers, traceparent: `00-${traceId}-${callerSpan}-01` },
      body: JSON.stringify({ input: "Say hello" }),
    });
    const id = (await jobFrom(res)).id;
    await finished(id);
    // A probe, then a traced request: the API exports its spans in the order they end, so once
    // the second one's span is in, the probe's would be too.
    await fetch(`${apiUrl}/healthz`);
    await fetch(`${apiUrl}/admin/login`);
    await fetch(`${apiUrl}/v1/jobs/${id}`, { headers: { ...headers, "x-request-id": "after-probes" } });
    await expect
      .poll(() => collector.spans.some((span) => span.attributes["llmr.request_id"] === "after-probes"), {
        timeout: 15_000,
      })
      .toBe(true);
    const paths = new Set(collector.spans.map((span) => span.attributes["url.path"]));
    expect(paths.has("/healthz") || paths.has("/admin/login")).toBe(false);

    await expect
      .poll(
        () => collector.spans.filter((span) => span.traceId === traceId && span.name === "llmr.attempt"),
        {
          timeout: 15_000,
        },
      )
      .toHaveLength(1);
    const server = collector.spans.find((span) => span.traceId === traceId && span.kind === SERVER);
    expect(server).toMatchObject({ name: "POST /v1/jobs", parentSpanId: callerSpan });
    const attempt = collector.spans.find((span) => span.traceId === traceId && span.name === "llmr.attempt");
    expect(attempt?.attributes["llmr.job.id"]).toBe(id);
  });
});
