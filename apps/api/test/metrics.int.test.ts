import { redisFixture } from "@llmr/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { auth, json, KEY_A, KEY_B, OPERATOR, startTestApi } from "./start-test-api.ts";

const redis = redisFixture();
let api: Awaited<ReturnType<typeof startTestApi>>;

beforeAll(async () => {
  api = await startTestApi({ redisUrl: redis.url, keyPrefix: redis.prefix });
});
afterAll(async () => {
  await api.close();
});

async function scrape(): Promise<string> {
  const res = await fetch(`${api.url}/metrics`, { headers: { authorization: `Bearer ${OPERATOR}` } });
  expect(res.status).toBe(200);
  expect(res.headers.get("content-type")).toMatch(/^text\/plain; version=0\.0\.4/);
  return res.text();
}

/** The value of the one sample line `series` (name and labels exactly as printed). */
function sample(text: string, series: string): number | undefined {
  const line = text.split("\n").find((candidate) => candidate.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

const submit = (key: string, body: unknown, extra: Record<string, string> = {}) =>
  fetch(`${api.url}/v1/jobs`, {
    method: "POST",
    headers: { ...auth(key, extra), ...json },
    body: JSON.stringify(body),
  });

describe("GET /metrics on the API", () => {
  it("needs the operator credential; an API key is not one", async () => {
    for (const headers of [{}, auth(KEY_A), { authorization: "Bearer wrong" }]) {
      const res = await fetch(`${api.url}/metrics`, { headers });
      expect(res.status).toBe(401);
      expect(((await res.json()) as { error: { type: string } }).error.type).toBe("authentication_error");
    }
    const basic = Buffer.from(`prometheus:${OPERATOR}`).toString("base64");
    expect((await fetch(`${api.url}/metrics`, { headers: { authorization: `Basic ${basic}` } })).status).toBe(
      200,
    );
  });

  it("counts submitted and cancelled jobs once and shows queue depth and breakers read from Redis", async () => {
    const first = await submit(KEY_A, { input: "Say hi" }, { "idempotency-key": "metrics-1" });
    expect(first.status).toBe(202);
    const replay = await submit(KEY_A, { input: "Say hi" }, { "idempotency-key": "metrics-1" });
    expect(replay.headers.get("idempotent-replayed")).toBe("true");
    const second = await submit(KEY_B, {
      class: "batch",
      task: "summarize",
      input: "Summarize: the sky is blue.",
    });
    const { id } = (await second.json()) as { id: string };
    const cancel = (await fetch(`${api.url}/v1/jobs/${id}/cancel`, { method: "POST", headers: auth(KEY_B) }))
      .status;
    expect(cancel).toBe(200);
    // Cancelling again answers the job as it is, and is not counted again.
    await fetch(`${api.url}/v1/jobs/${id}/cancel`, { method: "POST", headers: auth(KEY_B) });
    await fetch(`${api.url}/v1/jobs/${id}`, { headers: auth(KEY_B) });

    const text = await scrape();
    expect(sample(text, 'llmr_jobs_submitted_total{class="interactive",task="chat",tier="fast"}')).toBe(1);
    expect(sample(text, 'llmr_jobs_submitted_total{class="batch",task="summarize",tier="fast"}')).toBe(1);
    expect(
      sample(
        text,
        'llmr_jobs_finished_total{class="batch",task="summarize",tier="fast",status="cancelled",error_type="none"}',
      ),
    ).toBe(1);
    expect(sample(text, 'llmr_queue_jobs{tier="fast",class="interactive",state="waiting"}')).toBe(1);
    expect(sample(text, 'llmr_queue_jobs{tier="fast",class="batch",state="waiting"}')).toBe(0);
    expect(sample(text, 'llmr_breaker_state{deployment="fast/gpt-5.4-nano",state="closed"}')).toBe(1);
    expect(sample(text, "llmr_cluster_state_up")).toBe(1);
    // Routes by template, with status classes; never a job id.
    expect(text).toContain('route="/v1/jobs/:id",status_class="2xx"');
    expect(text).toContain('route="/v1/jobs/:id/cancel",status_class="2xx"');
    expect(text).not.toContain(id);
    expect(text).toContain("llmr_process_cpu_seconds_total");
    // No credential of any kind, nor what the jobs said.
    for (const secret of [KEY_A, KEY_B, OPERATOR, "Say hi", "metrics-1"]) expect(text).not.toContain(secret);
  });
});
