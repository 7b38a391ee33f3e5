import { redisFixture } from "@llmr/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { OPERATOR, startTestApi } from "./start-test-api.ts";

const redis = redisFixture();
let api: Awaited<ReturnType<typeof startTestApi>>;

beforeAll(async () => {
  api = await startTestApi({ redisUrl: redis.url, keyPrefix: redis.prefix });
});
afterAll(async () => {
  await api.close();
});

const basic = (secret: string) => ({
  authorization: `Basic ${Buffer.from(`operator:${secret}`).toString("base64")}`,
});

describe("bull-board at /admin/queues", () => {
  it("answers 401 with a Basic challenge without the operator credential", async () => {
    for (const headers of [{}, basic("wrong"), { authorization: "Bearer wrong" }]) {
      const res = await fetch(`${api.url}/admin/queues`, { headers });
      expect(res.status).toBe(401);
      expect(res.headers.get("www-authenticate")).toMatch(/^Basic /);
    }
    const apiCall = await fetch(`${api.url}/admin/queues/api/queues`);
    expect(apiCall.status).toBe(401);
  });

  it("serves the dashboard and lists every tier × class queue with the credential", async () => {
    const page = await fetch(`${api.url}/admin/queues`, { headers: basic(OPERATOR) });
    expect(page.status).toBe(200);
    expect(await page.text()).toContain("<html");
    const res = await fetch(`${api.url}/admin/queues/api/queues`, {
      headers: { authorization: `Bearer ${OPERATOR}` },
    });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { queues: Array<{ name: string; displayName?: string }> };
    expect(body.queues.map((queue) => queue.name).sort()).toEqual([
      "{capable-batch}",
      "{capable-interactive}",
      "{fast-batch}",
      "{fast-interactive}",
      "{standard-batch}",
      "{standard-interactive}",
      "{webhooks}",
    ]);
  });
});

describe("GET /v1/admin/deployments", () => {
  it("shows every deployment's breaker and budget to the operator, and nothing without the credential", async () => {
    expect((await fetch(`${api.url}/v1/admin/deployments`)).status).toBe(401);
    const res = await fetch(`${api.url}/v1/admin/deployments`, {
      headers: { authorization: `Bearer ${OPERATOR}` },
    });
    expect(res.status).toBe(200);
    const body = (await res.json()) as {
      data: Array<{ id: string; breaker: { state: string }; usage: unknown }>;
    };
    expect(body.data.map((d) => d.id)).toContain("fast/gpt-5.4-nano");
    expect(body.data.every((d) => d.breaker.state === "closed")).toBe(true);
  });
});
