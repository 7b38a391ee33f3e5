import { setTimeout as sleep } from "node:timers/promises";
import type { BatchResultLine, BatchResultsEnd } from "@llmr/core";
import { simMarker } from "@llmr/simulator";
import { describe, expect, it } from "vitest";
import { batchStack, pollUntil } from "./batch-stack.ts";

/**
 * When batch work may start and how it stops, as the provider sees it: the simulator (a process of
 * its own) counts every completion request it receives, so "no call" means no call reached it.
 */
const stack = batchStack({ apiKey: "llmr_e2e_batch_schedule_0123456789abcdef01" });

const items = (n: number, latencyMs: number) =>
  Array.from({ length: n }, (_, i) => ({
    custom_id: `note-${i}`,
    input: `${simMarker({ latency_ms: latencyMs })} Summarize note ${i} in one line.`,
  }));

describe("a batch's schedule and cancel across processes", () => {
  it("with not_before a few seconds ahead makes no provider call before it, then runs every item", async () => {
    const notBeforeMs = Date.now() + 3_000;
    const callsBefore = (await stack.simulatorStats()).requests_total;
    const batch = await stack.submitBatch({
      not_before: new Date(notBeforeMs).toISOString(),
      items: items(3, 0),
    });
    expect(batch).toMatchObject({ status: "queued", counts: { total: 3, queued: 3 } });
    expect(Date.parse(batch.not_before ?? "")).toBe(notBeforeMs);

    // Watch it until not_before: only readings that came back before it count.
    let readings = 0;
    for (;;) {
      const [stats, current] = await Promise.all([stack.simulatorStats(), stack.getBatch(batch.id)]);
      if (Date.now() >= notBeforeMs) break;
      expect(stats.requests_total).toBe(callsBefore);
      expect(current).toMatchObject({ status: "queued", counts: { queued: 3, running: 0, succeeded: 0 } });
      readings++;
      await sleep(100);
    }
    expect(readings).toBeGreaterThan(10);

    const done = await pollUntil(
      () => stack.getBatch(batch.id),
      (current) => current.status === "completed",
    );
    expect(done.counts).toMatchObject({ total: 3, succeeded: 3 });
    expect((await stack.simulatorStats()).requests_total).toBeGreaterThanOrEqual(callsBefore + 3);
    const lines = (await stack.results(batch.id)).slice(0, -1) as BatchResultLine[];
    for (const line of lines) {
      const job = await stack.getJob(line.job_id);
      expect(Date.parse(job.started_at ?? "")).toBeGreaterThanOrEqual(notBeforeMs);
    }
  });

  it("cancelled while running, starts no provider call later than 1 s after the cancel was sent, and its counts add up", async () => {
    // Big enough that the cancel's sweep over the items takes about a second or more: the workers
    // must stop calling before it reaches them. 4 batch slots on the fast tier at 20 ms a call:
    // up to 200 calls a second, so calls that went on would show.
    const total = 3_000;
    const callsBefore = (await stack.simulatorStats()).requests_total;
    const batch = await stack.submitBatch({ items: items(total, 20) });
    await pollUntil(
      () => stack.getBatch(batch.id),
      (current) => current.counts.succeeded >= 20,
    );

    // What the simulator has received, read every 20 ms from just before the cancel to the end.
    const samples: Array<{ at: number; calls: number }> = [];
    let sampling = true;
    const sampler = (async () => {
      while (sampling) {
        const at = Date.now();
        samples.push({ at, calls: (await stack.simulatorStats()).requests_total });
        await sleep(20);
      }
    })();
    const sentAt = Date.now();
    const answer = await stack.cancelBatch(batch.id);
    const answeredAt = Date.now();
    expect(answer.status).toBe("cancelled");
    expect(answer.cancel_requested_at).not.toBeNull();
    // Answered at once: the counts are those of that moment, settling while the items stop.
    const { queued, running, succeeded, failed, cancelled } = answer.counts;
    expect(queued + running + succeeded + failed + cancelled).toBe(total);

    // Calls in flight are aborted or finish; then nothing more may reach the simulator.
    const settled = await pollUntil(
      () => stack.getBatch(batch.id),
      (current) => current.counts.running === 0 && current.finished_at !== null,
    );
    await pollUntil(
      () => stack.simulatorStats(),
      (stats) => stats.in_flight === 0,
    );
    // A bounded wait for "nothing happens": a late call would start within this second.
    const quietUntil = Math.max(Date.now(), sentAt + 1_000) + 1_000;
    while (Date.now() < quietUntil) await sleep(50);
    sampling = false;
    await sampler;

    const final = samples.at(-1)?.calls ?? Number.NaN;
    // The first reading asked for at least 1 s after the cancel was sent holds every call started by then.
    const atOneSecond = samples.find((sample) => sample.at >= sentAt + 1_000);
    expect(atOneSecond, "no reading 1 s after the cancel").toBeDefined();
    const lastRise = samples.findIndex((sample) => sample.calls === final);
    console.info(
      `cancel of ${total} items answered in ${answeredAt - sentAt} ms; calls seen: ${samples[0]?.calls} when sent, ` +
        `${final} in the end, all by +${(samples[lastRise]?.at ?? 0) - sentAt} ms after it was sent; ` +
        `counts ${JSON.stringify(settled.counts)}`,
    );
    expect(final - (atOneSecond?.calls ?? 0), "calls started later than 1 s after the cancel was sent").toBe(
      0,
    );

    const { counts } = settled;
    expect(settled.status).toBe("cancelled");
    expect(counts).toMatchObject({ total, queued: 0, running: 0 });
    expect(counts.succeeded + counts.failed + counts.cancelled).toBe(total);
    expect(counts.succeeded).toBeGreaterThanOrEqual(20);
    // Every item that never reached a provider was cancelled, not run.
    expect(counts.cancelled).toBeGreaterThanOrEqual(total - (final - callsBefore));

    const lines = await stack.results(batch.id);
    const itemLines = lines.slice(0, -1) as BatchResultLine[];
    expect(itemLines.map((line) => line.custom_id)).toEqual(items(total, 0).map((item) => item.custom_id));
    for (const status of ["succeeded", "failed", "cancelled"] as const) {
      expect(
        itemLines.filter((line) => line.status === status),
        status,
      ).toHaveLength(counts[status]);
    }
    for (const line of itemLines.filter((candidate) => candidate.status === "cancelled")) {
      expect(line.output_text).toBeNull();
    }
    expect(lines.at(-1)).toMatchObject({
      object: "batch.results_end",
      batch_id: batch.id,
      status: "cancelled",
      counts,
    } satisfies Partial<BatchResultsEnd>);
  });
});
