import type { PublicJob, RunningTierWorker } from "@llmr/core";
import {
  abortCancelledJobs,
  closeTierWorkers,
  JobEventHub,
  JobEvents,
  JobStore,
  ProviderPool,
  RedisKeys,
  startTierWorkers,
  TierQueues,
} from "@llmr/core";
import type { RunningSimulator } from "@llmr/simulator";
import { simMarker, startSimulator } from "@llmr/simulator";
import { redisFixture } from "@llmr/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { auth, json, KEY_A, KEY_B, startTestApi } from "./start-test-api.ts";

const redis = redisFixture();
let simulator: RunningSimulator;
let api: Awaited<ReturnType<typeof startTestApi>>;
let workers: RunningTierWorker[];
let workerQueues: TierQueues;
let stopCancels: () => void;

beforeAll(async () => {
  simulator = await startSimulator({ port: 0, latencyScale: 0 });
  api = await startTestApi({ redisUrl: redis.url, keyPrefix: redis.prefix, simulatorUrl: simulator.url });
  // Workers for the fast tier only: jobs pinned to "capable" stay queued (for the cancel tests).
  const connection = redis.connect();
  const keys = new RedisKeys(api.config.redis.keyPrefix);
  workerQueues = new TierQueues(connection, api.config);
  const hub = new JobEventHub(redis.connect(), keys.eventsChannel);
  await hub.start();
  stopCancels = abortCancelledJobs(hub, []);
  workers = startTierWorkers(
    connection,
    {
      config: api.config,
      store: new JobStore(connection, keys, { retentionSeconds: 60 }),
      queues: workerQueues,
      events: new JobEvents(connection, keys, { retentionSeconds: 60 }),
      providers: new ProviderPool(api.config),
    },
    { tiers: ["fast"] },
  );
  stopCancels();
  stopCancels = abortCancelledJobs(hub, workers);
});
afterAll(async () => {
  await closeTierWorkers(workers);
  await workerQueues.close();
  await api.close();
  await simulator.close();
});

async function submit(body: unknown, headers: Record<string, string> = {}) {
  const res = await fetch(`${api.url}/v1/jobs`, {
    method: "POST",
    headers: { ...auth(KEY_A), ...json, ...headers },
    body: JSON.stringify(body),
  });
  return { res, job: (await res.json()) as PublicJob };
}

async function get(id: string, query = "", key = KEY_A) {
  const res = await fetch(`${api.url}/v1/jobs/${id}${query}`, { headers: auth(key) });
  return { res, job: (await res.json()) as PublicJob };
}

interface SseEvent {
  id: string;
  event: string;
  data: unknown;
}

/** Reads an SSE stream to its end (the server closes it after the `job` event). */
async function readEvents(id: string, lastEventId?: string): Promise<SseEvent[]> {
  const res = await fetch(`${api.url}/v1/jobs/${id}/events`, {
    headers: { ...auth(KEY_A), ...(lastEventId ? { "last-event-id": lastEventId } : {}) },
  });
  expect(res.headers.get("content-type")).toMatch(/^text\/event-stream/);
  const text = await res.text();
  return text
    .split("\n\n")
    .filter((block) => block.startsWith("id:"))
    .map((block) => {
      const fields = Object.fromEntries(
        block
          .split("\n")
          .map((line) => [line.slice(0, line.indexOf(":")), line.slice(line.indexOf(":") + 2)]),
      );
      return { id: fields.id ?? "", event: fields.event ?? "", data: JSON.parse(fields.data ?? "null") };
    });
}

describe("GET /v1/jobs/{id}?wait=N", () => {
  it("holds the answer until the job finishes", async () => {
    const { job } = await submit({ input: `${simMarker({ latency_ms: 300 })} Say hi` });
    const started = Date.now();
    const waited = await get(job.id, "?wait=10");
    expect(waited.job.status).toBe("succeeded");
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it("answers with the job as it is when N passes first", async () => {
    const { job } = await submit({ input: `${simMarker({ latency_ms: 3_000 })} Say hi` });
    const started = Date.now();
    const waited = await get(job.id, "?wait=0.3");
    expect(["queued", "running"]).toContain(waited.job.status);
    expect(Date.now() - started).toBeGreaterThanOrEqual(250);
  });

  it("refuses a wait over 60 s or not a number, and still hides other tenants' jobs", async () => {
    const { job } = await submit({ input: "x" });
    for (const query of ["?wait=61", "?wait=abc", "?wait=-1"]) {
      const res = await get(job.id, query);
      expect(res.res.status).toBe(400);
      expect((res.job as unknown as { error: { param: string } }).error.param).toBe("wait");
    }
    expect((await get(job.id, "?wait=1", KEY_B)).res.status).toBe(404);
  });
});

describe("GET /v1/jobs/{id}/events", () => {
  it("streams status changes, the attempt and the final job, and resumes after Last-Event-ID", async () => {
    const { job } = await submit({ input: `${simMarker({ latency_ms: 200 })} Say hi` });
    const events = await readEvents(job.id);
    expect(events.map((e) => e.event)).toEqual(["status", "status", "attempt", "job"]);
    expect(events[0]?.data).toMatchObject({ status: "queued", tier: "fast" });
    expect(events[1]?.data).toMatchObject({ status: "running" });
    expect(events[2]?.data).toMatchObject({ n: 1, outcome: "succeeded" });
    expect(events[3]?.data).toMatchObject({ id: job.id, status: "succeeded" });

    const resumed = await readEvents(job.id, events[1]?.id);
    expect(resumed.map((e) => e.id)).toEqual(events.slice(2).map((e) => e.id));
  });

  it("sends a slow event when the call passes its soft limit", async () => {
    const { job } = await submit({
      input: `${simMarker({ latency_ms: 500 })} Say hi`,
      timeouts: { soft_ms: 100, hard_ms: 10_000 },
    });
    const events = await readEvents(job.id);
    const slow = events.find((e) => e.event === "slow");
    expect(slow?.data).toMatchObject({ tier: "fast", soft_limit_ms: 100 });
    expect(events.at(-1)?.event).toBe("job");
  });
});

describe("POST /v1/jobs/{id}/cancel", () => {
  it("cancels a queued job: it leaves its queue and stays cancelled", async () => {
    const { job } = await submit({ input: "x", tier: "capable" });
    const res = await fetch(`${api.url}/v1/jobs/${job.id}/cancel`, { method: "POST", headers: auth(KEY_A) });
    expect(res.status).toBe(200);
    expect(((await res.json()) as PublicJob).status).toBe("cancelled");
    expect(await api.queues.get("capable", "interactive").getJob(`${job.id}.1`)).toBeUndefined();
    const again = await fetch(`${api.url}/v1/jobs/${job.id}/cancel`, {
      method: "POST",
      headers: auth(KEY_A),
    });
    expect(again.status).toBe(200);
    expect((await get(job.id)).job.status).toBe("cancelled");
    const other = await fetch(`${api.url}/v1/jobs/${job.id}/cancel`, {
      method: "POST",
      headers: auth(KEY_B),
    });
    expect(other.status).toBe(404);
  });

  it("aborts a running call (the simulator sees the client go) and records the attempt", async () => {
    const before = simulator.stats().aborted_by_client;
    const { job } = await submit({ input: `${simMarker({ fault: "hang" })} Say hi` });
    let current = job;
    while (current.status !== "running") current = (await get(job.id, "?wait=0.05")).job;
    const res = await fetch(`${api.url}/v1/jobs/${job.id}/cancel`, { method: "POST", headers: auth(KEY_A) });
    expect(((await res.json()) as PublicJob).status).toBe("cancelled");
    await expect.poll(() => simulator.stats().aborted_by_client, { timeout: 5_000 }).toBeGreaterThan(before);
    await expect
      .poll(async () => (await get(job.id)).job.attempts.map((a) => a.outcome), { timeout: 5_000 })
      .toEqual(["cancelled"]);
    expect((await get(job.id)).job.status).toBe("cancelled");
  });

  it("answers 409 for a job that already finished", async () => {
    const { job } = await submit({ input: "Say hi" });
    expect((await get(job.id, "?wait=10")).job.status).toBe("succeeded");
    const res = await fetch(`${api.url}/v1/jobs/${job.id}/cancel`, { method: "POST", headers: auth(KEY_A) });
    expect(res.status).toBe(409);
    expect(((await res.json()) as { error: { type: string } }).error.type).toBe("conflict_error");
  });
});

describe("Idempotency-Key", () => {
  it("gives the same job and answer for the same key and body, 422 for another body", async () => {
    const key = `idem-${crypto.randomUUID()}`;
    const first = await submit({ input: "hello", tier: "capable" }, { "idempotency-key": key });
    const second = await submit({ tier: "capable", input: "hello" }, { "idempotency-key": key });
    expect(second.res.status).toBe(202);
    expect(second.res.headers.get("idempotent-replayed")).toBe("true");
    expect(second.job.id).toBe(first.job.id);
    expect(second.res.headers.get("location")).toBe(`/v1/jobs/${first.job.id}`);
    const other = await submit({ input: "goodbye", tier: "capable" }, { "idempotency-key": key });
    expect(other.res.status).toBe(422);
    // Another API key with the same Idempotency-Key is another scope.
    const res = await fetch(`${api.url}/v1/jobs`, {
      method: "POST",
      headers: { ...auth(KEY_B), ...json, "idempotency-key": key },
      body: JSON.stringify({ input: "hello", tier: "capable" }),
    });
    expect(((await res.json()) as PublicJob).id).not.toBe(first.job.id);
  });

  it("replays an error answer too, and refuses keys over 255 characters", async () => {
    const key = `idem-${crypto.randomUUID()}`;
    const first = await submit({ input: "" }, { "idempotency-key": key });
    const second = await submit({ input: "" }, { "idempotency-key": key });
    expect([first.res.status, second.res.status]).toEqual([400, 400]);
    expect(second.res.headers.get("idempotent-replayed")).toBe("true");
    const long = await submit({ input: "x" }, { "idempotency-key": "k".repeat(256) });
    expect(long.res.status).toBe(400);
  });

  it("makes exactly one job out of fifty concurrent requests with one key", async () => {
    const key = `idem-${crypto.randomUUID()}`;
    const queue = api.queues.get("standard", "batch");
    const waitingBefore = await queue.getWaitingCount();
    const answers = await Promise.all(
      Array.from({ length: 50 }, () =>
        submit({ input: "once", tier: "standard", class: "batch" }, { "idempotency-key": key }),
      ),
    );
    const statuses = new Set(answers.map((a) => a.res.status));
    expect([...statuses].every((status) => status === 202 || status === 409)).toBe(true);
    const ids = new Set(answers.filter((a) => a.res.status === 202).map((a) => a.job.id));
    expect(ids.size).toBe(1);
    expect((await queue.getWaitingCount()) - waitingBefore).toBe(1);
  });
});
