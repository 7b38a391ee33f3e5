import type { BatchResultsEnd, PublicBatch } from "@llmr/core";
import { RedisKeys } from "@llmr/core";
import { redisFixture } from "@llmr/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { auth, KEY_A, startTestApi } from "./start-test-api.ts";

const ITEMS = 20_000;
const redis = redisFixture();
let api: Awaited<ReturnType<typeof startTestApi>>;

beforeAll(async () => {
  // No workers: every item stays queued until the cancel, so only the cancel can dequeue them.
  api = await startTestApi({
    redisUrl: redis.url,
    keyPrefix: redis.prefix,
    webhooks: { allow_private_targets: true },
  });
});
afterAll(async () => {
  await api.close();
});

/** An NDJSON upload made as fetch pulls it (the way `batches-upload.int.test.ts` stages 50,000). */
function uploadBody(items: number): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  let next = 0;
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      if (next >= items) {
        controller.close();
        return;
      }
      let text = "";
      if (next === 0)
        text += `${JSON.stringify({ object: "batch.options", webhook: { url: "http://127.0.0.1:9/hook" } })}\n`;
      for (const end = Math.min(items, next + 500); next < end; next++) {
        text += `${JSON.stringify({ custom_id: `doc-${next}`, input: `Summarize note ${next}.` })}\n`;
      }
      controller.enqueue(encoder.encode(text));
    },
  });
}

async function getBatch(id: string): Promise<PublicBatch> {
  const res = await fetch(`${api.url}/v1/batches/${id}`, { headers: auth(KEY_A) });
  return (await res.json()) as PublicBatch;
}

async function queuedJobs(): Promise<number> {
  let total = 0;
  for (const queue of api.queues.all()) {
    const counts = await queue.getJobCounts("wait", "delayed", "prioritized", "active");
    total += Object.values(counts).reduce((sum, count) => sum + count, 0);
  }
  return total;
}

describe("cancelling a batch of 20,000 queued items", () => {
  it("answers within a second, then every item ends cancelled and leaves its queue, with one webhook and the end line", {
    timeout: 180_000,
  }, async () => {
    const res = await fetch(`${api.url}/v1/batches`, {
      method: "POST",
      headers: { ...auth(KEY_A), "content-type": "application/x-ndjson" },
      body: uploadBody(ITEMS),
      duplex: "half",
    } as RequestInit);
    expect(res.status).toBe(202);
    const batch = (await res.json()) as PublicBatch;
    expect(batch.counts).toMatchObject({ total: ITEMS, queued: ITEMS });
    expect(await queuedJobs()).toBe(ITEMS);

    const sentAt = performance.now();
    const cancel = await fetch(`${api.url}/v1/batches/${batch.id}/cancel`, {
      method: "POST",
      headers: auth(KEY_A),
    });
    const answeredMs = performance.now() - sentAt;
    expect(cancel.status).toBe(200);
    const answer = (await cancel.json()) as PublicBatch;
    console.info(
      `cancel of ${ITEMS} items answered in ${answeredMs.toFixed(0)} ms: ${JSON.stringify(answer.counts)}`,
    );
    expect(answeredMs).toBeLessThan(1_000);
    expect(answer.status).toBe("cancelled");
    expect(answer.cancel_requested_at).not.toBeNull();
    const { total, queued, running, succeeded, failed, cancelled } = answer.counts;
    expect(queued + running + succeeded + failed + cancelled).toBe(total);

    // A second cancel while the first one's sweep runs answers at once too, with the same mark.
    const again = (await (
      await fetch(`${api.url}/v1/batches/${batch.id}/cancel`, { method: "POST", headers: auth(KEY_A) })
    ).json()) as PublicBatch;
    expect(again).toMatchObject({ status: "cancelled", cancel_requested_at: answer.cancel_requested_at });

    let settled = await getBatch(batch.id);
    const deadline = Date.now() + 120_000;
    while (settled.finished_at === null && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      settled = await getBatch(batch.id);
    }
    console.info(`settled ${((performance.now() - sentAt) / 1000).toFixed(1)} s after the cancel was sent`);
    expect(settled).toMatchObject({
      status: "cancelled",
      counts: { total: ITEMS, queued: 0, running: 0, succeeded: 0, failed: 0, cancelled: ITEMS },
    });
    expect(settled.finished_at).not.toBeNull();
    // The batch is final once every item's record is; each item's BullMQ job leaves its queue
    // right after its record is written, so the last few may still be on their way out.
    await expect.poll(queuedJobs, { timeout: 5_000 }).toBe(0);
    const keys = new RedisKeys(redis.prefix);
    const client = redis.connect();
    expect(await client.zscore(keys.cancellingBatches, batch.id)).toBeNull();

    // One batch.completed delivery, queued for the worker's webhook sender.
    const deliveries = await api.deliveries.queue.getJobs(["wait", "delayed", "prioritized", "active"]);
    expect(deliveries.map((job) => (job.data as { job_id?: string }).job_id)).toEqual([batch.id]);
    const [delivery] = await api.deliveries.listDeliveries("tenant-a", batch.id);
    expect(delivery).toMatchObject({ event: "batch.completed" });

    const results = await fetch(`${api.url}/v1/batches/${batch.id}/results`, { headers: auth(KEY_A) });
    const lines = (await results.text()).trimEnd().split("\n");
    expect(lines).toHaveLength(ITEMS + 1);
    expect(JSON.parse(lines.at(-1) ?? "{}")).toMatchObject({
      object: "batch.results_end",
      status: "cancelled",
      counts: settled.counts,
    } satisfies Partial<BatchResultsEnd>);
  });
});
