import { findFreePort } from "@llmr/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { auth, json, KEY_A, startTestApi } from "./start-test-api.ts";

let api: Awaited<ReturnType<typeof startTestApi>>;

beforeAll(async () => {
  // Nothing listens on this port: Redis is "down" for the whole file.
  const port = await findFreePort();
  api = await startTestApi({ redisUrl: `redis://127.0.0.1:${port}`, keyPrefix: "down" });
});
afterAll(async () => {
  await api.close();
});

describe("when Redis is unreachable", () => {
  it("POST answers 503 at once and never 202", async () => {
    const started = Date.now();
    const res = await fetch(`${api.url}/v1/jobs`, {
      method: "POST",
      headers: { ...auth(KEY_A), ...json },
      body: JSON.stringify({ input: "x" }),
    });
    expect(res.status).toBe(503);
    expect(((await res.json()) as { error: { type: string } }).error.type).toBe("service_unavailable");
    expect(res.headers.get("retry-after")).toBe("1");
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it("GET answers 503, /readyz 503, /healthz still 200", async () => {
    const get = await fetch(`${api.url}/v1/jobs/job_00000000000000000000000000`, { headers: auth(KEY_A) });
    expect(get.status).toBe(503);
    expect((await fetch(`${api.url}/readyz`)).status).toBe(503);
    expect((await fetch(`${api.url}/healthz`)).status).toBe(200);
  });

  it("still validates input first: a bad body is 400, not 503", async () => {
    const res = await fetch(`${api.url}/v1/jobs`, {
      method: "POST",
      headers: { ...auth(KEY_A), ...json },
      body: "{}",
    });
    expect(res.status).toBe(400);
  });
});
