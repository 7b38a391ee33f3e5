import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import type { PublicBatch } from "@llmr/core";
import { RedisKeys } from "@llmr/core";
import { redisFixture } from "@llmr/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { auth, KEY_A, startTestApi } from "./start-test-api.ts";

const ITEMS = 50_000;
const redis = redisFixture();
let api: Awaited<ReturnType<typeof startTestApi>>;

beforeAll(async () => {
  // No workers: the batch is only stored and queued, never run.
  api = await startTestApi({ redisUrl: redis.url, keyPrefix: redis.prefix });
});
afterAll(async () => {
  await api.close();
});

/** A full garbage collection, so the baseline is what is really kept (the trick needs no node flag). */
function collectGarbage(): void {
  setFlagsFromString("--expose-gc");
  (runInNewContext("gc") as () => void)();
}

/** The upload, made line by line as fetch pulls it: the test never holds the body either. */
function uploadBody(items: number): { stream: ReadableStream<Uint8Array>; bytes: () => number } {
  const encoder = new TextEncoder();
  let next = 0;
  let bytes = 0;
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (next >= items) {
        controller.close();
        return;
      }
      let text = "";
      for (const end = Math.min(items, next + 250); next < end; next++) {
        const prompt = `Summarize support transcript ${next}: the customer reports that the export to CSV times out after 30 seconds on large projects.`;
        text += `${JSON.stringify({ custom_id: `transcript-${next}`, input: prompt, metadata: { n: String(next) } })}\n`;
      }
      const chunk = encoder.encode(text);
      bytes += chunk.length;
      controller.enqueue(chunk);
    },
  });
  return { stream, bytes: () => bytes };
}

async function upload(items: number) {
  const body = uploadBody(items);
  const res = await fetch(`${api.url}/v1/batches`, {
    method: "POST",
    headers: { ...auth(KEY_A), "content-type": "application/x-ndjson" },
    body: body.stream,
    duplex: "half",
  } as RequestInit);
  return { res, body, batch: (await res.json()) as PublicBatch };
}

describe("an NDJSON upload of 50,000 items", () => {
  it("is accepted in seconds, durably stored and queued, without holding the batch in memory", {
    timeout: 120_000,
  }, async () => {
    // Warm up first (code, Lua scripts, the tokenizer's tables), so that only the batch is measured.
    expect((await upload(1_000)).res.status).toBe(202);
    collectGarbage();
    const baseline = process.memoryUsage();
    let peakHeap = baseline.heapUsed;
    let peakRss = baseline.rss;
    // What is held at once: the heap after a full collection, sampled while the upload runs (the
    // API runs in this process). Garbage waiting for the collector is not held, so it is not counted.
    const sampler = setInterval(() => {
      peakRss = Math.max(peakRss, process.memoryUsage().rss);
      collectGarbage();
      peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed);
    }, 500);

    const started = performance.now();
    const { res, batch, body } = await upload(ITEMS);
    const seconds = (performance.now() - started) / 1000;
    clearInterval(sampler);

    const mb = (value: number) => (value / 1_048_576).toFixed(1);
    const heapGrowth = peakHeap - baseline.heapUsed;
    console.log(
      `${ITEMS} items, ${mb(body.bytes())} MB uploaded: 202 after ${seconds.toFixed(1)} s; ` +
        `live heap at most +${mb(heapGrowth)} MB, RSS at most +${mb(peakRss - baseline.rss)} MB over the baseline`,
    );
    expect(res.status).toBe(202);
    expect(batch.counts).toMatchObject({ total: ITEMS, queued: ITEMS });
    // Less than the upload itself, let alone its 50,000 job records (about 40 MB as JSON): what is
    // held is a few chunks of items, however many items there are.
    expect(heapGrowth).toBeLessThan(body.bytes());
    expect(seconds).toBeLessThan(60);

    // Durable: every item listed and recorded, every one queued on its tier's batch queue.
    const client = redis.connect();
    const keys = new RedisKeys(redis.prefix);
    expect(await client.llen(keys.batchItems(batch.id))).toBe(ITEMS);
    const [first] = await api.batches.readItems(batch.id, ITEMS - 1, 1);
    expect((await api.store.get(first?.jobId ?? ""))?.record.job).toMatchObject({
      batch_id: batch.id,
      class: "batch",
      metadata: { n: String(ITEMS - 1) },
    });
    const counts = await api.queues.get("fast", "batch").getJobCounts("wait", "delayed", "prioritized");
    expect((counts.wait ?? 0) + (counts.delayed ?? 0) + (counts.prioritized ?? 0)).toBe(ITEMS + 1_000);
    const read = (await (
      await fetch(`${api.url}/v1/batches/${batch.id}`, { headers: auth(KEY_A) })
    ).json()) as PublicBatch;
    expect(read.counts.total).toBe(ITEMS);
  });
});
