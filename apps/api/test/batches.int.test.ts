import type { PublicJob } from "@llmr/core";
import { BatchObjectSchema, BatchResultLineSchema, BatchResultsEndSchema, newBatchId } from "@llmr/core";
import { simMarker } from "@llmr/simulator";
import { redisFixture } from "@llmr/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  getBatch,
  postBatch,
  readResults,
  signatureValid,
  startBatchTestStack,
  waitForBatch,
} from "./batch-test-stack.ts";
import { auth, KEY_A, KEY_B } from "./start-test-api.ts";

const redis = redisFixture();
let stack: Awaited<ReturnType<typeof startBatchTestStack>>;
let url: string;

beforeAll(async () => {
  stack = await startBatchTestStack(redis);
  url = stack.api.url;
});
afterAll(async () => {
  await stack.close();
});

const getJob = async (id: string) =>
  (await (await fetch(`${url}/v1/jobs/${id}`, { headers: auth(KEY_A) })).json()) as PublicJob;

describe("a batch's life", () => {
  it("runs 20 items to completion: live counts, cost, results in order with the end line, one signed webhook", async () => {
    const items = Array.from({ length: 20 }, (_, i) => ({
      custom_id: `doc-${i}`,
      input: `Summarize note ${i}.`,
    }));
    const accepted = await postBatch(url, {
      items,
      defaults: { max_output_tokens: 64 },
      webhook: { url: stack.hookUrl },
    });
    expect(accepted.status).toBe(202);
    const batch = BatchObjectSchema.parse(accepted.body);
    expect(accepted.location).toBe(`/v1/batches/${batch.id}`);
    // Live from the start: the workers may have taken items before the answer left.
    expect(batch).toMatchObject({ object: "batch", finished_at: null, counts: { total: 20 } });
    expect(["queued", "running"]).toContain(batch.status);

    const done = await waitForBatch(url, batch.id, (b) => b.status === "completed");
    expect(done.counts).toEqual({ total: 20, queued: 0, running: 0, succeeded: 20, failed: 0, cancelled: 0 });
    expect(Date.parse(done.finished_at ?? "")).not.toBeNaN();

    const results = await readResults(url, batch.id);
    expect(results.contentType).toMatch(/^application\/x-ndjson/);
    expect(results.lines).toHaveLength(21);
    const lines = results.lines.slice(0, 20).map((line) => BatchResultLineSchema.parse(line));
    expect(lines.map((line) => line.custom_id)).toEqual(items.map((item) => item.custom_id));
    const jobs = await Promise.all(lines.map((line) => getJob(line.job_id)));
    for (const [i, job] of jobs.entries()) {
      expect(job).toMatchObject({ class: "batch", status: "succeeded", batch_id: batch.id });
      expect(lines[i]).toMatchObject({
        status: "succeeded",
        output_text: job.result?.output_text,
        cost_usd: job.cost_usd,
      });
    }
    const total = jobs.reduce((sum, job) => sum + job.cost_usd, 0);
    expect(done.cost_usd).toBeGreaterThan(0);
    expect(done.cost_usd).toBeCloseTo(total, 9);
    expect(BatchResultsEndSchema.parse(results.lines[20])).toEqual({
      object: "batch.results_end",
      batch_id: batch.id,
      status: "completed",
      counts: done.counts,
      cost_usd: done.cost_usd,
    });

    // One batch.completed webhook, signed with the key's secret.
    const deadline = Date.now() + 10_000;
    const completedHooks = () => stack.hooks.filter((hook) => hook.body.includes(batch.id));
    while (completedHooks().length === 0 && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 50));
    const [hook, ...more] = completedHooks();
    expect(more).toHaveLength(0);
    const payload = JSON.parse(hook?.body ?? "{}") as { type: string; data: unknown };
    expect(payload.type).toBe("batch.completed");
    expect(BatchObjectSchema.parse(payload.data)).toMatchObject({
      id: batch.id,
      status: "completed",
      counts: done.counts,
    });
    const secrets = (await (await fetch(`${url}/v1/webhooks/secret`, { headers: auth(KEY_A) })).json()) as {
      data: Array<{ secret: string }>;
    };
    expect(hook && signatureValid(hook, secrets.data[0]?.secret ?? "")).toBe(true);

    // A completed batch has nothing left to cancel.
    const cancel = await fetch(`${url}/v1/batches/${batch.id}/cancel`, {
      method: "POST",
      headers: auth(KEY_A),
    });
    expect(cancel.status).toBe(409);
  });

  it("streams results as far as finished while an item runs; cancel aborts it and completes the results", async () => {
    const hang = `${simMarker({ fault: "hang" })} Take your time.`;
    const items = [
      { custom_id: "a", input: "one" },
      { custom_id: "b", input: "two" },
      { custom_id: "slow", input: hang },
      { custom_id: "d", input: "four" },
    ];
    const { body: batch } = await postBatch(url, { items });
    const running = await waitForBatch(
      url,
      batch.id,
      (b) => b.counts.succeeded === 3 && b.counts.running === 1,
    );
    expect(running.status).toBe("running");

    const partial = await readResults(url, batch.id);
    expect(partial.lines.map((line) => line.custom_id)).toEqual(["a", "b"]);

    const res = await fetch(`${url}/v1/batches/${batch.id}/cancel`, { method: "POST", headers: auth(KEY_A) });
    expect(res.status).toBe(200);
    const cancelled = BatchObjectSchema.parse(await res.json());
    expect(cancelled).toMatchObject({ status: "cancelled" });
    expect(cancelled.counts).toEqual({
      total: 4,
      queued: 0,
      running: 0,
      succeeded: 3,
      failed: 0,
      cancelled: 1,
    });
    expect(cancelled.finished_at).not.toBeNull();

    const full = await readResults(url, batch.id);
    expect(full.lines.map((line) => line.custom_id ?? line.object)).toEqual([
      "a",
      "b",
      "slow",
      "d",
      "batch.results_end",
    ]);
    expect(full.lines[2]).toMatchObject({ status: "cancelled", output_text: null });
    expect(full.lines[4]).toMatchObject({ status: "cancelled", counts: cancelled.counts });
  });

  it("starts nothing before not_before, caps deadlines at complete_by, and cancels queued items", async () => {
    const notBefore = new Date(Date.now() + 3_600_000);
    const completeBy = new Date(Date.now() + 7_200_000);
    const items = ["x", "y", "z"].map((id) => ({ custom_id: id, input: `item ${id}` }));
    const { status, body: held } = await postBatch(url, {
      items,
      not_before: notBefore.toISOString(),
      complete_by: completeBy.toISOString(),
    });
    expect(status).toBe(202);
    expect(held).toMatchObject({
      not_before: notBefore.toISOString(),
      complete_by: completeBy.toISOString(),
    });
    const entries = await stack.api.batches.readItems(held.id, 0, 10);
    for (const entry of entries) {
      const queued = await stack.api.queues.get(entry.tier, "batch").getJob(`${entry.jobId}.1`);
      expect(await queued?.isDelayed()).toBe(true);
      expect(queued?.delay).toBeGreaterThan(3_500_000);
      const stored = await stack.api.store.get(entry.jobId);
      expect(stored?.record.deadline_at).toBe(completeBy.toISOString());
    }

    // A batch submitted after it runs to the end while the held one has not started.
    const { body: later } = await postBatch(url, { items: [{ custom_id: "now", input: "go" }] });
    await waitForBatch(url, later.id, (b) => b.status === "completed");
    const still = await getBatch(url, held.id);
    expect(still.body).toMatchObject({ status: "queued", counts: { total: 3, queued: 3, running: 0 } });

    const res = await fetch(`${url}/v1/batches/${held.id}/cancel`, { method: "POST", headers: auth(KEY_A) });
    const cancelled = BatchObjectSchema.parse(await res.json());
    expect(cancelled.counts).toEqual({
      total: 3,
      queued: 0,
      running: 0,
      succeeded: 0,
      failed: 0,
      cancelled: 3,
    });
    expect(cancelled.status).toBe("cancelled");
    for (const entry of entries) {
      expect(await stack.api.queues.get(entry.tier, "batch").getJob(`${entry.jobId}.1`)).toBeUndefined();
    }
  });

  it("fails an item that cannot finish by complete_by with deadline_exceeded, the batch still completing", async () => {
    const slow = `${simMarker({ latency_ms: 5_000 })} Take long.`;
    const completeBy = new Date(Date.now() + 1_500).toISOString();
    const { body: batch } = await postBatch(url, {
      items: [
        { custom_id: "quick", input: "fast one" },
        { custom_id: "late", input: slow },
      ],
      complete_by: completeBy,
    });
    const done = await waitForBatch(url, batch.id, (b) => b.status === "completed");
    expect(done.counts).toMatchObject({ succeeded: 1, failed: 1 });
    const results = await readResults(url, batch.id);
    expect(results.lines[1]).toMatchObject({
      custom_id: "late",
      status: "failed",
      error: { type: "deadline_exceeded", message: expect.stringContaining(completeBy) },
    });
  });

  it("takes an NDJSON upload whose first line holds the batch's options", async () => {
    const lines = [
      { object: "batch.options", defaults: { max_output_tokens: 32, metadata: { run: "nightly" } } },
      { custom_id: "n1", input: "first" },
      { custom_id: "n2", messages: [{ role: "user", content: "second" }], metadata: { doc: "2" } },
    ];
    const accepted = await postBatch(url, `${lines.map((line) => JSON.stringify(line)).join("\n")}\n`, {
      ndjson: true,
    });
    expect(accepted.status).toBe(202);
    expect(accepted.body.counts.total).toBe(2);
    await waitForBatch(url, accepted.body.id, (b) => b.status === "completed");
    const results = await readResults(url, accepted.body.id);
    expect(results.lines.map((line) => line.custom_id ?? line.object)).toEqual([
      "n1",
      "n2",
      "batch.results_end",
    ]);
    const second = await getJob(String(results.lines[1]?.job_id));
    expect(second.metadata).toEqual({ run: "nightly", doc: "2" });
  });
});

describe("tenancy and media types", () => {
  it("answers another tenant's batch exactly like an unknown one", async () => {
    const { body: batch } = await postBatch(url, { items: [{ custom_id: "t", input: "mine" }] });
    const unknown = newBatchId();
    for (const path of ["", "/results"]) {
      const theirs = await fetch(`${url}/v1/batches/${batch.id}${path}`, { headers: auth(KEY_B) });
      const none = await fetch(`${url}/v1/batches/${unknown}${path}`, { headers: auth(KEY_B) });
      expect(theirs.status).toBe(404);
      expect(await theirs.json()).toEqual(await none.json());
    }
    const cancel = await fetch(`${url}/v1/batches/${batch.id}/cancel`, {
      method: "POST",
      headers: auth(KEY_B),
    });
    expect(cancel.status).toBe(404);
    expect((await getBatch(url, batch.id)).status).toBe(200);
  });

  it("refuses a body that is neither JSON nor NDJSON with 415", async () => {
    const res = await fetch(`${url}/v1/batches`, {
      method: "POST",
      headers: { ...auth(KEY_A), "content-type": "text/plain" },
      body: "hello",
    });
    expect(res.status).toBe(415);
    expect(((await res.json()) as { error: { type: string } }).error.type).toBe("unsupported_media_type");
  });
});
