import { redisFixture } from "@llmr/testing";
import type { Worker } from "bullmq";
import { Webhook } from "standardwebhooks";
import type { Agent } from "undici";
import { afterEach, describe, expect, it } from "vitest";
import type { DeliveryEvent } from "../src/delivery/delivery-processor.ts";
import { startDeliveryWorker } from "../src/delivery/delivery-worker.ts";
import type { WebhookDeliveriesOptions } from "../src/delivery/webhook-deliveries.ts";
import { WebhookDeliveries } from "../src/delivery/webhook-deliveries.ts";
import { DeliveryInFlightError } from "../src/errors/delivery-in-flight-error.ts";
import { DeliveryNotFoundError } from "../src/errors/delivery-not-found-error.ts";
import { WebhookSecrets } from "../src/secrets/webhook-secrets.ts";
import { createGuardedAgent } from "../src/ssrf/guarded-agent.ts";
import type { Resolver } from "../src/ssrf/resolver.ts";
import type { ReceivedRequest, Receiver, Reply } from "./receiver.ts";
import { startReceiver, webhookHeaders } from "./receiver.ts";

const redis = redisFixture();
const TENANT = "acme";
const JOB = { id: "job_01jq3v9k2m7x4c8d1f5g6h7j8k", object: "job", status: "succeeded" };
/** A day of retries in about 0.9 s. */
const SCALE = 1e-5;

interface Harness {
  deliveries: WebhookDeliveries;
  secrets: WebhookSecrets;
  events: DeliveryEvent[];
  /** Resolves with the first event (in order of arrival, from now on or already seen) that matches. */
  until(predicate: (event: DeliveryEvent) => boolean): Promise<DeliveryEvent>;
  close(): Promise<void>;
}

const receivers: Receiver[] = [];
let harness: Harness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
  await Promise.all(receivers.splice(0).map((receiver) => receiver.close()));
});

async function receiver(script?: (n: number) => Reply): Promise<Receiver> {
  const started = await startReceiver(script);
  receivers.push(started);
  return started;
}

/**
 * Queue, store, secrets and a running worker over a fresh prefix. Private targets are allowed
 * (the receiver is on 127.0.0.1) unless a test says otherwise. The processor's clock moves a
 * second per reading, so tries made milliseconds apart still get distinct `webhook-timestamp`s
 * while staying well inside the verifier's 5-minute tolerance.
 */
function start(
  options: Partial<WebhookDeliveriesOptions> & {
    timeoutMs?: number;
    allowPrivate?: boolean;
    resolve?: Resolver;
  } = {},
): Harness {
  const prefix = redis.uniquePrefix();
  const connection = redis.connect();
  const { timeoutMs, allowPrivate = true, resolve, ...deliveryOptions } = options;
  const deliveries = new WebhookDeliveries(connection, { prefix, scheduleScale: SCALE, ...deliveryOptions });
  const secrets = new WebhookSecrets(connection, { prefix });
  const agent: Agent = createGuardedAgent({ allowPrivate, ...(resolve ? { resolve } : {}) });
  const events: DeliveryEvent[] = [];
  const waiters: { predicate: (event: DeliveryEvent) => boolean; resolve: (event: DeliveryEvent) => void }[] =
    [];
  let tick = 0;
  const worker: Worker = startDeliveryWorker(connection, {
    deliveries,
    secrets,
    agent,
    ...(timeoutMs === undefined ? {} : { timeoutMs }),
    now: () => new Date(Date.now() + 1_000 * tick++),
    onEvent: (event) => {
      events.push(event);
      for (const waiter of waiters.filter((w) => w.predicate(event))) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve(event);
      }
    },
  });
  return {
    deliveries,
    secrets,
    events,
    until: (predicate) => {
      const seen = events.find(predicate);
      return seen ? Promise.resolve(seen) : new Promise((resolve) => waiters.push({ predicate, resolve }));
    },
    close: async () => {
      await worker.close();
      await deliveries.close();
      await agent.close();
    },
  };
}

const finished = (event: DeliveryEvent) => event.type === "delivered" || event.type === "gave_up";

/** Verifies a received request with the reference verifier; throws if it does not verify. */
function verify(secret: string, request: ReceivedRequest): unknown {
  return new Webhook(secret).verify(request.body, webhookHeaders(request));
}

describe("webhook delivery", () => {
  it("delivers once on a 2xx: a signed JSON body, one attempt, succeeded", async () => {
    harness = start();
    const target = await receiver(() => ({ status: 200, body: "ok" }));
    const occurredAt = new Date("2026-01-01T10:00:00.000Z");
    const queued = await harness.deliveries.enqueueDelivery({
      tenant: TENANT,
      jobId: JOB.id,
      event: "job.succeeded",
      data: JOB,
      url: `${target.url}/hook?token=abc`,
      occurredAt,
    });
    expect(queued).toMatchObject({ id: expect.stringMatching(/^msg_/), status: "pending", attempts: [] });

    await harness.until(finished);
    const [request] = target.requests;
    if (!request) throw new Error("nothing received");
    expect(request.method).toBe("POST");
    expect(request.path).toBe("/hook?token=abc");
    expect(request.headers["content-type"]).toBe("application/json");
    expect(request.headers["webhook-id"]).toBe(queued.id);
    expect(verify(await harness.secrets.current(TENANT), request)).toEqual({
      type: "job.succeeded",
      timestamp: "2026-01-01T10:00:00.000Z",
      data: JOB,
    });

    const [delivery] = await harness.deliveries.listDeliveries(TENANT, JOB.id);
    expect(delivery).toMatchObject({
      id: queued.id,
      status: "succeeded",
      reason: null,
      event: "job.succeeded",
    });
    expect(delivery?.attempts).toEqual([
      {
        n: 1,
        at: expect.any(String),
        status_code: 200,
        error: null,
        duration_ms: expect.any(Number),
        response_body: "ok",
      },
    ]);
    expect(harness.events.map((event) => event.type)).toEqual(["delivered"]);
    expect(harness.events[0]?.origin).toBe(target.url);
  });

  it("sends an event once when its producer enqueues it again with the same idempotency key", async () => {
    harness = start();
    const target = await receiver(() => ({ status: 200, body: "ok" }));
    const input = {
      tenant: TENANT,
      jobId: JOB.id,
      event: "job.succeeded" as const,
      data: JOB,
      url: `${target.url}/hook`,
      idempotencyKey: `${JOB.id}:job.succeeded`,
    };
    const first = await harness.deliveries.enqueueDelivery(input);
    await harness.until(finished);
    const again = await harness.deliveries.enqueueDelivery(input);
    expect(again.id).toBe(first.id);
    expect(await harness.deliveries.listDeliveries(TENANT, JOB.id)).toHaveLength(1);
    expect(target.requests).toHaveLength(1);
  });

  it("retries 500, 500, then 200: three tries under one webhook-id with fresh timestamps and signatures", async () => {
    harness = start();
    const target = await receiver((n) => ({ status: n < 3 ? 500 : 200 }));
    const { id } = await harness.deliveries.enqueueDelivery({
      tenant: TENANT,
      jobId: JOB.id,
      event: "job.failed",
      data: JOB,
      url: target.url,
    });

    await harness.until(finished);
    const secret = await harness.secrets.current(TENANT);
    expect(target.requests).toHaveLength(3);
    for (const request of target.requests) {
      expect(request.headers["webhook-id"]).toBe(id);
      expect(() => verify(secret, request)).not.toThrow();
    }
    const timestamps = target.requests.map((request) => request.headers["webhook-timestamp"]);
    expect(new Set(timestamps).size).toBe(3);
    const [delivery] = await harness.deliveries.listDeliveries(TENANT, JOB.id);
    expect(delivery?.status).toBe("succeeded");
    expect(delivery?.attempts.map((attempt) => [attempt.n, attempt.status_code])).toEqual([
      [1, 500],
      [2, 500],
      [3, 200],
    ]);
    expect(harness.events.map((event) => event.type)).toEqual([
      "failed_attempt",
      "failed_attempt",
      "delivered",
    ]);
    expect(harness.events[0]).toMatchObject({ retryInMs: Math.round(5_000 * SCALE) });
  });

  it("stops at 410 Gone: failed, one try, nothing left queued", async () => {
    harness = start();
    const target = await receiver(() => ({ status: 410 }));
    const { id } = await harness.deliveries.enqueueDelivery({
      tenant: TENANT,
      jobId: JOB.id,
      event: "job.succeeded",
      data: JOB,
      url: target.url,
    });

    await expect(harness.until(finished)).resolves.toMatchObject({ type: "gave_up", reason: "410 Gone" });
    // The event comes from inside the try; BullMQ marks the job completed just after it returns.
    const queue = harness.deliveries.queue;
    await expect.poll(() => queue.getJobState(id)).toBe("completed");
    expect(target.requests).toHaveLength(1);
    const [delivery] = await harness.deliveries.listDeliveries(TENANT, JOB.id);
    expect(delivery).toMatchObject({ status: "failed", reason: "410 Gone", finished_at: expect.any(String) });
    expect(delivery?.attempts).toHaveLength(1);
  });

  it("does not follow a redirect: the 302 is a failed try and its target gets nothing", async () => {
    harness = start({ retryScheduleMs: [0] });
    const elsewhere = await receiver();
    const target = await receiver(() => ({ status: 302, headers: { location: `${elsewhere.url}/stolen` } }));
    await harness.deliveries.enqueueDelivery({
      tenant: TENANT,
      jobId: JOB.id,
      event: "job.succeeded",
      data: JOB,
      url: target.url,
    });

    await expect(harness.until(finished)).resolves.toMatchObject({
      type: "gave_up",
      reason: "no 2xx answer after the last try (HTTP 302, redirects are not followed)",
    });
    expect(target.requests).toHaveLength(1);
    expect(elsewhere.connections).toBe(0);
  });

  it("counts a receiver that never answers as a failed try once the timeout passes", async () => {
    harness = start({ retryScheduleMs: [0], timeoutMs: 150 });
    const target = await receiver(() => "hang");
    await harness.deliveries.enqueueDelivery({
      tenant: TENANT,
      jobId: JOB.id,
      event: "job.succeeded",
      data: JOB,
      url: target.url,
    });

    await expect(harness.until(finished)).resolves.toMatchObject({ type: "gave_up" });
    const [delivery] = await harness.deliveries.listDeliveries(TENANT, JOB.id);
    expect(delivery?.status).toBe("failed");
    expect(delivery?.attempts).toEqual([
      expect.objectContaining({ n: 1, status_code: null, error: "no answer within 150 ms" }),
    ]);
    expect(delivery?.attempts[0]?.duration_ms).toBeGreaterThanOrEqual(140);
  });

  it("500, timeout, 302, 200: the same webhook-id four times, each freshly signed, all four in the log", async () => {
    harness = start({ timeoutMs: 150 });
    const replies: Reply[] = [
      { status: 500 },
      "hang",
      { status: 302, headers: { location: "http://127.0.0.1:9/" } },
      { status: 200 },
    ];
    const target = await receiver((n) => replies[n - 1] ?? { status: 200 });
    const { id } = await harness.deliveries.enqueueDelivery({
      tenant: TENANT,
      jobId: JOB.id,
      event: "job.succeeded",
      data: JOB,
      url: target.url,
    });

    await expect(harness.until(finished)).resolves.toMatchObject({ type: "delivered" });
    const secret = await harness.secrets.current(TENANT);
    expect(target.requests.map((request) => request.headers["webhook-id"])).toEqual([id, id, id, id]);
    for (const request of target.requests) expect(() => verify(secret, request)).not.toThrow();
    expect(new Set(target.requests.map((request) => request.headers["webhook-signature"])).size).toBe(4);
    const [delivery] = await harness.deliveries.listDeliveries(TENANT, JOB.id);
    expect(delivery?.attempts.map(({ n, status_code, error }) => ({ n, status_code, error }))).toEqual([
      { n: 1, status_code: 500, error: null },
      { n: 2, status_code: null, error: "no answer within 150 ms" },
      { n: 3, status_code: 302, error: null },
      { n: 4, status_code: 200, error: null },
    ]);
  });

  it("gives up after the whole (compressed) schedule, lists it failed, and re-sends it on request", async () => {
    harness = start();
    let healthy = false;
    const target = await receiver(() => ({ status: healthy ? 200 : 503, body: "down\nfor maintenance" }));
    const { id } = await harness.deliveries.enqueueDelivery({
      tenant: TENANT,
      jobId: JOB.id,
      event: "job.succeeded",
      data: JOB,
      url: target.url,
    });

    await expect(harness.until(finished)).resolves.toMatchObject({
      type: "gave_up",
      reason: "no 2xx answer after the last try (HTTP 503)",
    });
    const [failed] = await harness.deliveries.listDeliveries(TENANT, JOB.id);
    expect(failed).toMatchObject({ status: "failed", reason: "no 2xx answer after the last try (HTTP 503)" });
    expect(failed?.attempts.map((attempt) => attempt.n)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(failed?.attempts[0]?.response_body).toBe("down for maintenance");

    healthy = true;
    const retried = await harness.deliveries.retryDelivery(TENANT, JOB.id, id);
    expect(retried).toMatchObject({ id, status: "pending", reason: null });
    await harness.until((event) => event.type === "delivered");
    const resent = target.requests[10];
    if (!resent) throw new Error("the re-send did not arrive");
    expect(resent.headers["webhook-id"]).toBe(id);
    expect(resent.headers["webhook-timestamp"]).not.toBe(target.requests[9]?.headers["webhook-timestamp"]);
    const secret = await harness.secrets.current(TENANT);
    expect(() => verify(secret, resent)).not.toThrow();
    const [delivered] = await harness.deliveries.listDeliveries(TENANT, JOB.id);
    expect(delivered).toMatchObject({ status: "succeeded", reason: null });
    expect(delivered?.attempts).toHaveLength(11);
  });

  it("signs with both secrets during a rotation; the receiver verifies with either", async () => {
    harness = start();
    const target = await receiver();
    const old = await harness.secrets.current(TENANT);
    const [current] = await harness.secrets.rotate(TENANT);
    await harness.deliveries.enqueueDelivery({
      tenant: TENANT,
      jobId: JOB.id,
      event: "job.succeeded",
      data: JOB,
      url: target.url,
    });

    await harness.until(finished);
    const [request] = target.requests;
    if (!request || !current) throw new Error("nothing received");
    expect(String(request.headers["webhook-signature"]).split(" ")).toHaveLength(2);
    expect(() => verify(old, request)).not.toThrow();
    expect(() => verify(current.secret, request)).not.toThrow();
    // Secrets are never in the events the app logs.
    expect(JSON.stringify(harness.events)).not.toContain(old.slice(6));
    expect(JSON.stringify(harness.events)).not.toContain(current.secret.slice(6));
  });

  it("keeps deliveries per tenant: another tenant sees none and cannot re-send", async () => {
    harness = start({ retryScheduleMs: [0] });
    const target = await receiver(() => "hang");
    const { id } = await harness.deliveries.enqueueDelivery({
      tenant: TENANT,
      jobId: JOB.id,
      event: "job.succeeded",
      data: JOB,
      url: target.url,
    });
    await target.received(1);

    expect(await harness.deliveries.listDeliveries("globex", JOB.id)).toEqual([]);
    await expect(harness.deliveries.retryDelivery("globex", JOB.id, id)).rejects.toBeInstanceOf(
      DeliveryNotFoundError,
    );
    await expect(harness.deliveries.retryDelivery(TENANT, JOB.id, "msg_unknown")).rejects.toBeInstanceOf(
      DeliveryNotFoundError,
    );
    // Its try is still in flight: a re-send must wait for it.
    await expect(harness.deliveries.retryDelivery(TENANT, JOB.id, id)).rejects.toBeInstanceOf(
      DeliveryInFlightError,
    );
    target.release(204);
    await expect(harness.until(finished)).resolves.toMatchObject({ type: "delivered" });
    expect(await harness.deliveries.listDeliveries(TENANT, JOB.id)).toEqual([
      expect.objectContaining({ id, status: "succeeded" }),
    ]);
  });

  it("refuses at connect time a URL whose DNS turned inward, and gives up at once", async () => {
    const target = await receiver();
    const resolve: Resolver = async () => [{ address: "127.0.0.1", family: 4 }];
    harness = start({ allowPrivate: false, resolve });
    const url = `http://hooks.example.com:${new URL(target.url).port}/hook`;
    await harness.deliveries.enqueueDelivery({
      tenant: TENANT,
      jobId: JOB.id,
      event: "job.succeeded",
      data: JOB,
      url,
    });

    await expect(harness.until(finished)).resolves.toMatchObject({
      type: "gave_up",
      reason: "refused to connect to 127.0.0.1, a loopback address: webhooks only go to public addresses",
    });
    expect(target.connections).toBe(0);
  });
});
