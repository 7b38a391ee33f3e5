import type { RunningSimulator } from "@llmr/simulator";
import { startSimulator } from "@llmr/simulator";
import { redisFixture } from "@llmr/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { JobEvents } from "../src/job-events.ts";
import { JobRequestSchema } from "../src/job-request.ts";
import { JobStore } from "../src/job-store.ts";
import { RedisKeys } from "../src/redis-keys.ts";
import { submitJob } from "../src/submit-job.ts";
import { TierQueues } from "../src/tier-queues.ts";
import { routerTestConfig } from "./router-test-config.ts";
import { startTestRouter } from "./test-router.ts";

/**
 * A finished job's event stream is kept `eventsRetentionSeconds`, its record the full retention
 * (the stream is most of a retained job's Redis memory); a running job's stream does not expire
 * before its record could.
 */
const redis = redisFixture();
const RETENTION_S = 600;
const EVENTS_RETENTION_S = 30;
let simulator: RunningSimulator;
beforeAll(async () => {
  simulator = await startSimulator({ port: 0, latencyScale: 0 });
});
afterAll(async () => {
  await simulator.close();
});

/** A PTTL in ms is "about" `seconds` when it is at most that and no more than 10 s below it. */
const about = (seconds: number) =>
  expect.toSatisfy((ms: number) => ms <= seconds * 1000 && ms > (seconds - 10) * 1000);

describe("event stream retention", () => {
  it("a job finished through submit and the processor: stream ≈ events retention, record ≈ retention", async () => {
    const connection = redis.connect();
    const config = routerTestConfig({ simulatorUrl: simulator.url, keyPrefix: redis.uniquePrefix() });
    const keys = new RedisKeys(config.redis.keyPrefix);
    const events = new JobEvents(connection, keys, {
      retentionSeconds: 60,
      eventsRetentionSeconds: EVENTS_RETENTION_S,
    });
    const router = startTestRouter(connection, config, { deps: { events } });
    try {
      const record = await submitJob(
        { config, store: router.store, queues: router.queues, events },
        "tenant-a",
        JobRequestSchema.parse({ input: "Explain tides briefly." }),
      );
      const id = record.job.id;
      // The final event is sent without waiting for it: poll until the stream holds it.
      await expect
        .poll(async () => (await events.history(id)).map((event) => event.type).at(-1), { timeout: 15_000 })
        .toBe("job");
      expect(await connection.pttl(keys.jobEvents(id))).toEqual(about(EVENTS_RETENTION_S));
      // test-router's store keeps records 60 s.
      expect(await connection.pttl(keys.job(id))).toEqual(about(60));
    } finally {
      await router.close();
    }
  });

  it("keeps a running job's stream the full retention, shortens it at the end and never lengthens it again", async () => {
    const connection = redis.connect();
    const keys = new RedisKeys(redis.uniquePrefix());
    const events = new JobEvents(connection, keys, {
      retentionSeconds: RETENTION_S,
      eventsRetentionSeconds: EVENTS_RETENTION_S,
    });
    const stream = keys.jobEvents("j1");
    // A running job's record has no TTL.
    await connection.hset(keys.job("j1"), "v", 1, "doc", "{}");
    await events.publish("j1", "status", { status: "running" });
    expect(await connection.pttl(stream)).toEqual(about(RETENTION_S));

    await events.publish("j1", "job", { status: "succeeded" });
    expect(await connection.pttl(stream)).toEqual(about(EVENTS_RETENTION_S));

    // A late event after the final one (the record is finished now): the TTL only goes down.
    await connection.pexpire(keys.job("j1"), RETENTION_S * 1000);
    await connection.pexpire(stream, 5_000);
    await events.publish("j1", "attempt", { outcome: "succeeded" });
    expect(await connection.pttl(stream)).toEqual(expect.toSatisfy((ms: number) => ms > 0 && ms <= 5_000));

    // An event for a finished job whose stream expired already: a short-lived stream, never a permanent one.
    await connection.del(stream);
    await events.publish("j1", "status", { status: "succeeded" });
    expect(await connection.pttl(stream)).toEqual(about(EVENTS_RETENTION_S));
    // Nor for a job whose record is gone.
    await events.publish("gone", "status", { status: "succeeded" });
    expect(await connection.pttl(keys.jobEvents("gone"))).toEqual(about(EVENTS_RETENTION_S));
  });

  it("a record write that finishes the job shortens its stream, without any final event", async () => {
    // As a map-reduce part cancelled while queued: its record ends, nobody publishes a `job` event.
    const connection = redis.connect();
    const config = routerTestConfig({ simulatorUrl: simulator.url, keyPrefix: redis.uniquePrefix() });
    const keys = new RedisKeys(config.redis.keyPrefix);
    const retention = { retentionSeconds: RETENTION_S, eventsRetentionSeconds: EVENTS_RETENTION_S };
    const store = new JobStore(connection, keys, retention);
    const events = new JobEvents(connection, keys, retention);
    const queues = new TierQueues(connection, config);
    try {
      const { job } = await submitJob(
        { config, store, queues, events },
        "tenant-a",
        JobRequestSchema.parse({ input: "Explain tides briefly." }),
      );
      expect(await connection.pttl(keys.jobEvents(job.id))).toEqual(about(RETENTION_S));
      expect(await connection.pttl(keys.job(job.id))).toBe(-1);
      await store.update(job.id, (record) => ({ ...record, job: { ...record.job, status: "cancelled" } }));
      expect(await connection.pttl(keys.jobEvents(job.id))).toEqual(about(EVENTS_RETENTION_S));
      expect(await connection.pttl(keys.job(job.id))).toEqual(about(RETENTION_S));
      // A later write of the finished record leaves a shorter stream TTL alone.
      await connection.pexpire(keys.jobEvents(job.id), 5_000);
      await store.update(job.id, (record) => ({ ...record, job: { ...record.job, metadata: { n: "2" } } }));
      expect(await connection.pttl(keys.jobEvents(job.id))).toEqual(
        expect.toSatisfy((ms: number) => ms > 0 && ms <= 5_000),
      );
    } finally {
      await queues.close();
    }
  });

  it("without eventsRetentionSeconds, a finished job's stream keeps the full retention (as before)", async () => {
    const connection = redis.connect();
    const keys = new RedisKeys(redis.uniquePrefix());
    const events = new JobEvents(connection, keys, { retentionSeconds: RETENTION_S });
    await events.publish("j2", "job", { status: "failed" });
    expect(await connection.pttl(keys.jobEvents("j2"))).toEqual(about(RETENTION_S));
  });
});
