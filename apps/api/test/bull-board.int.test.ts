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
  it("sends a browser to the login page and answers scripts 401 without the operator credential", async () => {
    const page = await fetch(`${api.url}/admin/queues`, {
      headers: { accept: "text/html" },
      redirect: "manual",
    });
    expect(page.status).toBe(303);
    expect(page.headers.get("location")).toBe("/admin/login?next=%2Fadmin%2Fqueues");
    for (const headers of [{}, basic("wrong"), { authorization: "Bearer wrong" }]) {
      const res = await fetch(`${api.url}/admin/queues/api/queues`, { headers });
      expect(res.status).toBe(401);
      // Not a Basic challenge: an expired session must not pop up the browser's password dialog.
      expect(res.headers.get("www-authenticate")).toMatch(/^Bearer /);
      expect(((await res.json()) as { error: { type: string } }).error.type).toBe("authentication_error");
    }
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

describe("read-only queues (admin.bull_board.read_only_queues)", () => {
  it("marks the chosen queues read-only and refuses their retries, leaving the others writable", async () => {
    const readOnly = await startTestApi({
      redisUrl: redis.url,
      keyPrefix: redis.uniquePrefix(),
      admin: { bull_board: { read_only_queues: ["interactive", "webhooks"] } },
    });
    try {
      const bearer = { authorization: `Bearer ${OPERATOR}` };
      const res = await fetch(`${readOnly.url}/admin/queues/api/queues`, { headers: bearer });
      const body = (await res.json()) as {
        queues: Array<{ name: string; readOnlyMode: boolean; allowRetries: boolean }>;
      };
      const flags = Object.fromEntries(body.queues.map((q) => [q.name, [q.readOnlyMode, q.allowRetries]]));
      expect(flags).toEqual({
        "{fast-interactive}": [true, false],
        "{standard-interactive}": [true, false],
        "{capable-interactive}": [true, false],
        "{fast-batch}": [false, true],
        "{standard-batch}": [false, true],
        "{capable-batch}": [false, true],
        "{webhooks}": [true, false],
      });
      const retry = (queue: string) =>
        fetch(`${readOnly.url}/admin/queues/api/queues/${encodeURIComponent(queue)}/retry/failed`, {
          method: "PUT",
          headers: bearer,
        });
      expect((await retry("{fast-interactive}")).status).toBe(405);
      expect((await retry("{webhooks}")).status).toBe(405);
      expect((await retry("{fast-batch}")).status).toBe(200);
    } finally {
      await readOnly.close();
    }
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
