import { KeyRing, sha256Hex } from "@llmr/auth";
import { createWorkerRegistry } from "@llmr/metrics";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startMetricsServer } from "./metrics-server.ts";

const OPERATOR = "llmr_test_operator_token_0123456789";
let server: Awaited<ReturnType<typeof startMetricsServer>>;

beforeAll(async () => {
  const { registry, metrics } = createWorkerRegistry();
  metrics.attempts.inc({ tier: "fast", provider: "openai", model: "gpt-5.4-nano", outcome: "succeeded" });
  server = await startMetricsServer({
    source: registry,
    operators: new KeyRing([{ name: "operator", sha256: sha256Hex(OPERATOR) }]),
    host: "127.0.0.1",
    port: 0,
  });
});
afterAll(async () => {
  server.server.closeAllConnections();
  await new Promise((resolve) => server.server.close(resolve));
});

describe("the worker's metrics port", () => {
  it("serves GET /metrics to the operator credential, as a Bearer token or a Basic password", async () => {
    const bearer = await fetch(server.url, { headers: { authorization: `Bearer ${OPERATOR}` } });
    expect(bearer.status).toBe(200);
    expect(bearer.headers.get("content-type")).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = await bearer.text();
    expect(text).toContain(
      'llmr_attempts_total{tier="fast",provider="openai",model="gpt-5.4-nano",outcome="succeeded"} 1',
    );
    expect(text).toContain("llmr_process_resident_memory_bytes");
    expect(text).not.toContain(OPERATOR);
    const basic = Buffer.from(`prometheus:${OPERATOR}`).toString("base64");
    expect((await fetch(server.url, { headers: { authorization: `Basic ${basic}` } })).status).toBe(200);
  });

  it("answers 401 without it, 404 elsewhere and 405 to other methods, in the API's error envelope", async () => {
    for (const headers of [{}, { authorization: "Bearer wrong" }]) {
      const res = await fetch(server.url, { headers });
      expect(res.status).toBe(401);
      expect(res.headers.get("www-authenticate")).toMatch(/^Basic /);
      expect(await res.json()).toEqual({
        error: { type: "authentication_error", message: "operator credential required" },
      });
    }
    const elsewhere = await fetch(server.url.replace("/metrics", "/"), {
      headers: { authorization: `Bearer ${OPERATOR}` },
    });
    expect(elsewhere.status).toBe(404);
    const post = await fetch(server.url, {
      method: "POST",
      headers: { authorization: `Bearer ${OPERATOR}` },
    });
    expect(post.status).toBe(405);
  });
});
