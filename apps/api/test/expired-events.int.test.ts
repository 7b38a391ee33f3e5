import type { JobExplanation, PublicJob, RunningTierWorker } from "@llmr/core";
import {
  closeTierWorkers,
  createDispatchGates,
  JobEvents,
  JobExplanationSchema,
  JobStore,
  ProviderPool,
  RedisKeys,
  startTierWorkers,
  TierQueues,
} from "@llmr/core";
import type { RunningSimulator } from "@llmr/simulator";
import { simMarker, startSimulator } from "@llmr/simulator";
import { redisFixture } from "@llmr/testing";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { auth, json, KEY_A, OPERATOR, startTestApi } from "./start-test-api.ts";

/**
 * A finished job's event stream goes after `jobs.events_retention_s` (1 s here), its record stays:
 * the event stream, the long-poll and the explain view then answer from the record.
 */
const redis = redisFixture();
let simulator: RunningSimulator;
let api: Awaited<ReturnType<typeof startTestApi>>;
let workers: RunningTierWorker[];
let workerQueues: TierQueues;
let keys: RedisKeys;
const client = redis.connect();

beforeAll(async () => {
  simulator = await startSimulator({ port: 0, latencyScale: 0 });
  api = await startTestApi({
    redisUrl: redis.url,
    keyPrefix: redis.prefix,
    simulatorUrl: simulator.url,
    edit: (doc) => {
      (doc.jobs as Record<string, unknown>).events_retention_s = 1;
    },
  });
  const connection = redis.connect();
  keys = new RedisKeys(api.config.redis.keyPrefix);
  const { retentionSeconds, eventsRetentionSeconds } = api.config.jobs;
  workerQueues = new TierQueues(connection, api.config);
  workers = startTierWorkers(connection, {
    config: api.config,
    store: new JobStore(connection, keys, { retentionSeconds }),
    queues: workerQueues,
    events: new JobEvents(connection, keys, { retentionSeconds, eventsRetentionSeconds }),
    gates: createDispatchGates(connection, api.config),
    providers: new ProviderPool(api.config),
  });
});
afterAll(async () => {
  await closeTierWorkers(workers);
  await workerQueues.close();
  await api.close();
  await simulator.close();
});

/** An escalating job (as in explain.int.test.ts), finished, whose event stream has expired. */
async function finishedJobWithoutEvents(): Promise<{ job: PublicJob; lastEventId: string }> {
  const created = await fetch(`${api.url}/v1/jobs`, {
    method: "POST",
    headers: { ...auth(KEY_A), ...json },
    body: JSON.stringify({
      task: "extract",
      input: `${simMarker({ confidence: 0.42, times: 1 })} Compare invoice 42 from ACME with invoice 41.`,
    }),
  });
  expect(created.status).toBe(202);
  const { id } = (await created.json()) as PublicJob;
  // Read the live stream to its end: the ids a client would resume from.
  const live = await readEvents(id);
  expect(live.at(-1)?.event).toBe("job");
  // Expires on its own, 1 s after the final event; the record stays (7 days).
  await vi.waitFor(async () => expect(await client.exists(keys.jobEvents(id))).toBe(0), {
    timeout: 10_000,
    interval: 100,
  });
  expect(await client.pttl(keys.job(id))).toBeGreaterThan(600_000_000);
  return { job: live.at(-1)?.data as PublicJob, lastEventId: live[1]?.id ?? "" };
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
  const blocks = (await res.text()).split("\n\n").filter((block) => block.startsWith("id:"));
  return blocks.map((block) => {
    const fields = Object.fromEntries(
      block.split("\n").map((line) => [line.slice(0, line.indexOf(":")), line.slice(line.indexOf(":") + 2)]),
    );
    return { id: fields.id ?? "", event: fields.event ?? "", data: JSON.parse(fields.data ?? "null") };
  });
}

describe("a finished job whose event stream expired", () => {
  let job: PublicJob;
  let lastEventId: string;
  beforeAll(async () => {
    ({ job, lastEventId } = await finishedJobWithoutEvents());
  }, 30_000);

  it("streams only its final job event, from the record, and closes", async () => {
    expect(job.status).toBe("succeeded");
    const events = await readEvents(job.id);
    expect(events).toEqual([{ id: "0-0", event: "job", data: job }]);
  });

  it("answers a Last-Event-ID resume with the final job event too", async () => {
    expect(lastEventId).toMatch(/^\d+-\d+$/);
    const events = await readEvents(job.id, lastEventId);
    expect(events).toEqual([{ id: lastEventId, event: "job", data: job }]);
  });

  it("answers ?wait= at once with the finished job", async () => {
    const started = Date.now();
    const res = await fetch(`${api.url}/v1/jobs/${job.id}?wait=30`, { headers: auth(KEY_A) });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual(job);
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it("is still explained from its record, as JSON and as text", async () => {
    const url = `${api.url}/v1/admin/jobs/${job.id}/explain`;
    const asJson = await fetch(url, { headers: auth(OPERATOR) });
    expect(asJson.status).toBe(200);
    const explanation: JobExplanation = JobExplanationSchema.parse(await asJson.json());
    expect(explanation).toMatchObject({ job_id: job.id, status: "succeeded", tenant: "tenant-a" });
    expect(explanation.steps.find((step) => step.kind === "escalated")).toMatchObject({
      cause: "low_confidence",
      from_tier: "standard",
      to_tier: "capable",
    });
    expect(explanation.cost.total_usd).toBe(job.cost_usd);

    const asText = await fetch(`${url}?format=text`, { headers: auth(OPERATOR) });
    expect(asText.status).toBe(200);
    const text = await asText.text();
    expect(text).toContain(`job ${job.id} (tenant "tenant-a", task "extract", interactive): succeeded`);
    for (const attempt of job.attempts) {
      expect(text).toContain(
        `attempt ${attempt.n} on tier "${attempt.tier}": ${attempt.provider} ${attempt.model}`,
      );
    }
  });
});
