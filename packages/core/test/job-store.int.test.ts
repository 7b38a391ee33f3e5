import { redisFixture } from "@llmr/testing";
import { describe, expect, it } from "vitest";
import { newJobId } from "../src/ids.ts";
import { JobEventHub } from "../src/job-event-hub.ts";
import type { JobEventNotice } from "../src/job-events.ts";
import { JobEvents } from "../src/job-events.ts";
import type { JobRecord } from "../src/job-record.ts";
import { JobStore } from "../src/job-store.ts";
import { duplicateRedis } from "../src/redis-connection.ts";
import { RedisKeys } from "../src/redis-keys.ts";

const redis = redisFixture();

function record(id: string): JobRecord {
  const now = new Date().toISOString();
  return {
    tenant: "t",
    request: {
      messages: [{ role: "user", content: "hi" }],
      response_format: undefined,
      max_output_tokens: 10,
      temperature: undefined,
      timeouts: { soft_ms: undefined, hard_ms: undefined },
      webhook_url: undefined,
    },
    route: {
      requirements: { jsonMode: false, logprobs: false, contextTokens: 20, providers: undefined },
      input_tokens: 10,
    },
    hop: 1,
    job: {
      id,
      object: "job",
      status: "queued",
      class: "interactive",
      task: "chat",
      tier: "fast",
      routing: { initial_tier: "fast", max_tier: "capable", reason: "test", escalations: [] },
      result: null,
      attempts: [],
      cost_usd: 0,
      error: null,
      metadata: {},
      batch_id: null,
      created_at: now,
      started_at: null,
      finished_at: null,
    },
  };
}

describe("JobStore", () => {
  const keys = new RedisKeys(redis.prefix);

  it("stores a record under a hash-tagged key and refuses to create it twice", async () => {
    const store = new JobStore(redis.connect(), keys, { retentionSeconds: 60 });
    const id = newJobId();
    await store.create(record(id));
    expect((await store.get(id))?.record.job.id).toBe(id);
    expect(keys.job(id)).toBe(`${redis.prefix}:job:{${id}}`);
    await expect(store.create(record(id))).rejects.toThrow(/already exists/);
  });

  it("loses no update when writers race (compare-and-set with re-read)", async () => {
    const connections = [redis.connect(), redis.connect(), redis.connect()];
    const stores = connections.map((c) => new JobStore(c, keys, { retentionSeconds: 60 }));
    const id = newJobId();
    await stores[0]?.create(record(id));
    await Promise.all(
      Array.from({ length: 30 }, (_, i) =>
        stores[i % stores.length]?.update(id, (current) => ({
          ...current,
          job: { ...current.job, metadata: { ...current.job.metadata, [`k${i}`]: "x" } },
        })),
      ),
    );
    const stored = await stores[0]?.get(id);
    expect(Object.keys(stored?.record.job.metadata ?? {})).toHaveLength(30);
    expect(stored?.version).toBe(31);
  });

  it("keeps unfinished records forever and expires finished ones after the retention", async () => {
    const client = redis.connect();
    const store = new JobStore(client, keys, { retentionSeconds: 60 });
    const id = newJobId();
    await store.create(record(id));
    expect(await client.pttl(keys.job(id))).toBe(-1);
    await store.update(id, (current) => ({ ...current, job: { ...current.job, status: "succeeded" } }));
    const ttl = await client.pttl(keys.job(id));
    expect(ttl).toBeGreaterThan(50_000);
    expect(ttl).toBeLessThanOrEqual(60_000);
  });

  it("writes a first event with the record: in the job's stream and announced, as JobEvents.publish does", async () => {
    const client = redis.connect();
    const store = new JobStore(client, keys, { retentionSeconds: 60 });
    const events = new JobEvents(client, keys, { retentionSeconds: 60 });
    const hub = new JobEventHub(duplicateRedis(client), keys.eventsChannel);
    await hub.start();
    const heard: JobEventNotice[] = [];
    hub.listenAll((notice) => heard.push(notice));
    const id = newJobId();
    const queued = { status: "queued", tier: "fast", reason: "test" };
    await store.create(record(id), { event: { type: "status", data: queued } });

    const history = await events.history(id);
    expect(history).toEqual([{ id: expect.stringMatching(/^\d+-\d+$/), type: "status", data: queued }]);
    await expect.poll(() => heard).toEqual([{ job_id: id, id: history[0]?.id, type: "status" }]);
    const streamTtl = await client.pttl(keys.jobEvents(id));
    expect(streamTtl).toBeGreaterThan(50_000);
    expect(streamTtl).toBeLessThanOrEqual(60_000);
    // Events after it (a worker's) follow it in the same stream.
    await events.publish(id, "status", { status: "running", tier: "fast" });
    expect((await events.history(id)).map((event) => (event.data as { status: string }).status)).toEqual([
      "queued",
      "running",
    ]);

    // A second create of the same id writes neither record nor event.
    await expect(store.create(record(id), { event: { type: "status", data: queued } })).rejects.toThrow(
      /already exists/,
    );
    expect(await events.history(id)).toHaveLength(2);
    expect((await store.get(id))?.version).toBe(1);

    // Deleting a record (a submit whose enqueue failed) takes its events along.
    await store.delete(id);
    expect(await store.get(id)).toBeUndefined();
    expect(await events.history(id)).toEqual([]);
    await hub.close();
  });

  it("creates a record without an event when none is given", async () => {
    const client = redis.connect();
    const store = new JobStore(client, keys, { retentionSeconds: 60 });
    const id = newJobId();
    await store.create(record(id));
    expect((await store.get(id))?.version).toBe(1);
    expect(await client.exists(keys.jobEvents(id))).toBe(0);
  });
});
