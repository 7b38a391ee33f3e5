import { KeyRing, sha256Hex } from "@llmr/auth";
import { createWorkerRegistry } from "@llmr/metrics";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startWorkerHttpServer, WORKER_HTTP_PATHS } from "./http-server.ts";
import type { Readiness } from "./worker-readiness.ts";

const OPERATOR = "llmr_test_operator_token_0123456789";
let server: Awaited<ReturnType<typeof startWorkerHttpServer>>;
let readiness: Readiness = { ready: true };
let metricsUrl: string;

beforeAll(async () => {
  const { registry, metrics } = createWorkerRegistry();
  metrics.attempts.inc({ tier: "fast", provider: "openai", model: "gpt-5.4-nano", outcome: "succeeded" });
  server = await startWorkerHttpServer({
    source: registry,
    operators: new KeyRing([{ name: "operator", sha256: sha256Hex(OPERATOR) }]),
    readiness: async () => readiness,
    host: "127.0.0.1",
    port: 0,
  });
  metricsUrl = `${server.url}/metrics`;
});
afterAll(async () => {
  server.server.closeAllConnections();
  await new Promise((resolve) => server.server.close(resolve));
});

describe("the worker's HTTP server", () => {
  it("serves exactly /healthz, /readyz and /metrics", () => {
    expect([...WORKER_HTTP_PATHS].sort()).toEqual(["/healthz", "/metrics", "/readyz"]);
  });

  it("answers /healthz without a credential, in the API's shape", async () => {
    const res = await fetch(`${server.url}/healthz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: "ok" });
    expect((await fetch(`${server.url}/healthz`, { method: "HEAD" })).status).toBe(200);
  });

  it("answers /readyz 200 when ready and 503 with the reason when not, without a credential", async () => {
    readiness = { ready: true };
    const ready = await fetch(`${server.url}/readyz?verbose=1`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: "ready" });

    readiness = { ready: false, reason: "draining after SIGTERM" };
    const draining = await fetch(`${server.url}/readyz`);
    expect(draining.status).toBe(503);
    expect(await draining.json()).toEqual({
      error: { type: "service_unavailable", message: "not ready: draining after SIGTERM" },
    });
    // Liveness does not follow readiness: a draining worker must not be restarted.
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
    readiness = { ready: true };
  });

  it("serves GET /metrics to the operator credential, as a Bearer token or a Basic password", async () => {
    const bearer = await fetch(metricsUrl, { headers: { authorization: `Bearer ${OPERATOR}` } });
    expect(bearer.status).toBe(200);
    expect(bearer.headers.get("content-type")).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = await bearer.text();
    expect(text).toContain(
      'llmr_attempts_total{tier="fast",provider="openai",model="gpt-5.4-nano",outcome="succeeded"} 1',
    );
    expect(text).toContain("llmr_process_resident_memory_bytes");
    expect(text).not.toContain(OPERATOR);
    const basic = Buffer.from(`prometheus:${OPERATOR}`).toString("base64");
    expect((await fetch(metricsUrl, { headers: { authorization: `Basic ${basic}` } })).status).toBe(200);
  });

  it("answers /metrics 401 without it, 404 elsewhere and 405 to other methods, in the API's error envelope", async () => {
    for (const headers of [{}, { authorization: "Bearer wrong" }]) {
      const res = await fetch(metricsUrl, { headers });
      expect(res.status).toBe(401);
      expect(res.headers.get("www-authenticate")).toMatch(/^Basic /);
      expect(await res.json()).toEqual({
        error: { type: "authentication_error", message: "operator credential required" },
      });
    }
    for (const path of ["/", "/constructor", "/metrics/"]) {
      const elsewhere = await fetch(`${server.url}${path}`, {
        headers: { authorization: `Bearer ${OPERATOR}` },
      });
      expect(elsewhere.status, path).toBe(404);
    }
    for (const path of ["/metrics", "/readyz"]) {
      const post = await fetch(`${server.url}${path}`, {
        method: "POST",
        headers: { authorization: `Bearer ${OPERATOR}` },
      });
      expect(post.status, path).toBe(405);
      expect(post.headers.get("allow")).toBe("GET, HEAD");
    }
  });
});
