import type { PublicJob } from "@llmr/core";
import { redisFixture } from "@llmr/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { auth, json, KEY_A, KEY_B, startTestApi } from "./start-test-api.ts";

const redis = redisFixture();
let api: Awaited<ReturnType<typeof startTestApi>>;

beforeAll(async () => {
  api = await startTestApi({ redisUrl: redis.url, keyPrefix: redis.prefix, bodyLimitBytes: 64 * 1024 });
});
afterAll(async () => {
  await api.close();
});

/** A job object, or the error envelope (its `error` then has the contract's `param`). */
type Answer = Omit<PublicJob, "error"> & { error: { type: string; message: string; param?: string } | null };

async function post(body: string, headers: Record<string, string> = { ...auth(KEY_A), ...json }) {
  const res = await fetch(`${api.url}/v1/jobs`, { method: "POST", headers, body });
  return { status: res.status, headers: res.headers, body: (await res.json()) as Answer };
}

describe("POST /v1/jobs", () => {
  it("accepts a job: 202, Location, the job object, durably queued on its tier", async () => {
    const res = await post(JSON.stringify({ input: "Say hello", metadata: { user: "u1" } }));
    expect(res.status).toBe(202);
    const job = res.body;
    expect(res.headers.get("location")).toBe(`/v1/jobs/${job.id}`);
    expect(job).toMatchObject({
      object: "job",
      status: "queued",
      class: "interactive",
      task: "chat",
      tier: "fast",
      routing: { initial_tier: "fast", reason: 'task "chat" starts at its default tier "fast"' },
      result: null,
      attempts: [],
      cost_usd: 0,
      error: null,
      metadata: { user: "u1" },
      batch_id: null,
      started_at: null,
      finished_at: null,
    });
    expect(job.id).toMatch(/^job_/);
    expect(Date.parse(job.created_at)).not.toBeNaN();
    const waiting = await api.queues.get("fast", "interactive").getJob(`${job.id}.1`);
    expect(waiting?.data).toEqual({ job_id: job.id, hop: 1 });
  });

  it("puts batch-class jobs on the tier's batch queue", async () => {
    const res = await post(JSON.stringify({ input: "x", class: "batch", tier: "standard" }));
    expect(res.status).toBe(202);
    expect(await api.queues.get("standard", "batch").getJob(`${res.body.id}.1`)).toBeDefined();
  });

  it("answers 400 naming the field for a body that fails the schema", async () => {
    const res = await post(JSON.stringify({ messages: [{ role: "user", content: "" }] }));
    expect(res.status).toBe(400);
    expect(res.body).toEqual({
      error: {
        type: "invalid_request_error",
        message: "messages[0].content: must not be empty",
        param: "messages[0].content",
      },
    });
    const unknown = await post(JSON.stringify({ input: "x", max_tokens: 3 }));
    expect(unknown.body.error).toMatchObject({ param: "max_tokens", message: "max_tokens: unknown field" });
    const tier = await post(JSON.stringify({ input: "x", tier: "turbo" }));
    expect(tier.status).toBe(400);
    expect(tier.body.error?.param).toBe("tier");
  });

  it("answers 400 for malformed JSON and for a JSON body that is not an object", async () => {
    const res = await post('{"input": "x",');
    expect(res.status).toBe(400);
    expect(res.body.error?.type).toBe("invalid_request_error");
    expect(res.body.error?.message).toMatch(/^malformed JSON body/);
    const array = await post("[1,2]");
    expect(array.status).toBe(400);
  });

  it("answers 415 for a body that is not application/json", async () => {
    const res = await post("input=x", { ...auth(KEY_A), "content-type": "text/plain" });
    expect(res.status).toBe(415);
    expect(res.body.error?.type).toBe("unsupported_media_type");
  });

  it("answers 413 for a body over the configured limit", async () => {
    const res = await post(JSON.stringify({ input: "x".repeat(70 * 1024) }));
    expect(res.status).toBe(413);
    expect(res.body.error?.type).toBe("payload_too_large");
  });

  it("answers 401 without a key or with an unknown one, before reading the body", async () => {
    const none = await post(JSON.stringify({ input: "x" }), json);
    expect(none.status).toBe(401);
    expect(none.body.error?.type).toBe("authentication_error");
    const wrong = await post(JSON.stringify({ input: "x" }), { ...auth("nope"), ...json });
    expect(wrong.status).toBe(401);
  });
});

describe("GET /v1/jobs/{id}", () => {
  it("returns the caller's job, and 404 for an unknown id or another tenant's job", async () => {
    const created = await post(JSON.stringify({ input: "hello" }));
    const id = created.body.id as string;
    const own = await fetch(`${api.url}/v1/jobs/${id}`, { headers: auth(KEY_A) });
    expect(own.status).toBe(200);
    expect(await own.json()).toEqual(created.body);

    const other = await fetch(`${api.url}/v1/jobs/${id}`, { headers: auth(KEY_B) });
    const unknown = await fetch(`${api.url}/v1/jobs/job_00000000000000000000000000`, {
      headers: auth(KEY_A),
    });
    const junk = await fetch(`${api.url}/v1/jobs/..%2F..%2Fetc`, { headers: auth(KEY_A) });
    for (const res of [other, unknown, junk]) {
      expect(res.status).toBe(404);
      expect(await res.json()).toEqual({ error: { type: "not_found_error", message: "no such job" } });
    }
  });
});

describe("logs", () => {
  it("never contain an API key, and carry the request id and job id", async () => {
    const res = await post(JSON.stringify({ input: "log me" }), {
      ...auth(KEY_A),
      ...json,
      "x-request-id": "req-42",
    });
    expect(res.headers.get("x-request-id")).toBe("req-42");
    const text = api.logLines.join("");
    expect(text).not.toContain(KEY_A);
    expect(text).not.toContain(KEY_B);
    const accepted = api.logLines.map((line) => JSON.parse(line)).find((line) => line.job_id === res.body.id);
    expect(accepted).toMatchObject({ reqId: "req-42", msg: expect.stringContaining("job accepted") });
  });
});

describe("health", () => {
  it("/healthz and /readyz answer without a key", async () => {
    expect((await fetch(`${api.url}/healthz`)).status).toBe(200);
    const ready = await fetch(`${api.url}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: "ready" });
  });
});

describe("webhook URLs (SSRF guard at registration)", () => {
  it("refuses loopback, private, link-local and numeric-trick addresses, naming webhook.url", async () => {
    for (const url of [
      "http://127.0.0.1/hook",
      "http://169.254.169.254/latest/meta-data",
      "http://10.0.0.5/hook",
      "http://2130706433/hook",
      "http://[::ffff:127.0.0.1]/hook",
      "ftp://example.com/hook",
    ]) {
      const res = await post(JSON.stringify({ input: "x", webhook: { url } }));
      expect(res.status, url).toBe(400);
      expect(res.body.error?.param, url).toBe("webhook.url");
    }
  });
});
