import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { REPO_ROOT } from "@llmr/testing";
import { describe, expect, it } from "vitest";
import { crashStack } from "./crash-stack.ts";

const stack = crashStack({ apiKey: "llmr_e2e_mrcrash_0123456789abcdef0123456" });

/** A real meeting of 11k tokens: the shipped chunk_tokens (6,000) splits it into parts. */
const meeting = readFileSync(resolve(REPO_ROOT, "../shared/data/documents/qmsum-meetings.jsonl"), "utf8")
  .split("\n")
  .map((line) => (line ? (JSON.parse(line) as { id: string; text: string }) : undefined))
  .find((doc) => doc?.id === "qmsum-ES2004b");

describe("map-reduce survives a worker crash", () => {
  it("a worker killed right after queueing a document's parts leaves the job to finish with every part called once", async () => {
    expect(meeting).toBeDefined();
    const callsBefore = stack.simulator.stats().requests_total;
    const doomed = stack.startWorker({ LLMR_FAILPOINT: "after-parts-queued" });
    const { id } = await stack.submit({ task: "summarize", input: meeting?.text });

    // Killed by SIGKILL at the failpoint: the parts' records and BullMQ jobs exist, the job's record
    // does not know yet; no part has been called.
    await doomed.exited;
    expect(doomed.child.signalCode).toBe("SIGKILL");
    const between = await stack.getJob(id);
    expect(between.progress).toBeUndefined();
    expect(stack.simulator.stats().requests_total).toBe(callsBefore);

    // The next worker takes the job up once its lock (2 s here) expires, finds the parts queued
    // already and adds none; the parts run once each, then the call that combines them.
    stack.startWorker();
    let job = between;
    const deadline = Date.now() + 30_000;
    while (!["succeeded", "failed", "cancelled"].includes(job.status) && Date.now() < deadline) {
      await new Promise((done) => setTimeout(done, 200));
      job = await stack.getJob(id);
    }
    expect(job.status).toBe("succeeded");
    const total = job.progress?.chunks_total ?? 0;
    expect(total).toBeGreaterThanOrEqual(2);
    expect(job.progress).toEqual({ phase: "reduce", round: 1, chunks_done: total, chunks_total: total });
    const succeededParts = job.attempts
      .filter((a) => a.chunk && a.outcome === "succeeded")
      .map((a) => a.chunk?.index);
    expect(succeededParts.sort()).toEqual(Array.from({ length: total }, (_, i) => i + 1));
    // Every provider call is one attempt in the job's history: nothing was called twice unseen.
    expect(stack.simulator.stats().requests_total - callsBefore).toBe(job.attempts.length);
  });
});
