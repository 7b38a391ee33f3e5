import { simMarker } from "@llmr/simulator";
import { describe, expect, it } from "vitest";
import { crashStack } from "./crash-stack.ts";

const stack = crashStack({ apiKey: "llmr_e2e_kill_0123456789abcdef0123456789a" });
const { getJob, workers } = stack;

describe("a worker killed mid-call", () => {
  it("loses no job: another worker finishes every one exactly once, and the cut-off attempts are recorded", async () => {
    const doomed = stack.startWorker();
    const ids: string[] = [];
    for (let i = 0; i < 10; i++) {
      ids.push(
        (await stack.submit({ input: `${simMarker({ latency_ms: 1_500 })} Question ${i}: say hi` })).id,
      );
    }
    // Kill it once every job's call is under way.
    for (const id of ids) {
      let job = await getJob(id);
      while (job.status !== "running") job = await getJob(id, 0.05);
    }
    doomed.child.kill("SIGKILL");
    await doomed.exited;

    stack.startWorker();
    const finished = await Promise.all(
      ids.map(async (id) => {
        let job = await getJob(id, 30);
        while (job.status === "queued" || job.status === "running") job = await getJob(id, 30);
        return job;
      }),
    );
    for (const job of finished) {
      expect(job.status).toBe("succeeded");
      expect(job.attempts.map((a) => a.outcome)).toEqual(["error", "succeeded"]);
      expect(job.attempts[0]?.detail).toMatch(/^the worker running this call stopped before it finished/);
    }
  });
});

describe("a worker stopped with SIGTERM", () => {
  it("lets calls finish within the grace period, hands the rest back to the queue, and exits 0", async () => {
    // Only this worker runs (the previous test's are stopped), and it is up before the job arrives.
    await Promise.all(workers.splice(0).map((worker) => worker.stop()));
    const stopping = stack.startWorker({ WORKER_SHUTDOWN_GRACE_MS: "300" });
    await expect.poll(() => stopping.output().includes("workers running"), { timeout: 15_000 }).toBe(true);
    const { id } = await stack.submit({ input: `${simMarker({ latency_ms: 2_000 })} A slow question` });
    let job = await getJob(id);
    while (job.status !== "running") job = await getJob(id, 0.05);

    stopping.child.kill("SIGTERM");
    expect(await stopping.exited).toBe(0);
    const handedBack = await getJob(id);
    expect(handedBack.status).toBe("queued");
    expect(handedBack.attempts.map((a) => a.detail)).toEqual([
      "aborted: the worker shut down during the call; the job went back to the queue",
    ]);

    stack.startWorker();
    let finished = await getJob(id, 30);
    while (finished.status === "queued" || finished.status === "running") finished = await getJob(id, 30);
    expect(finished.status).toBe("succeeded");
    expect(finished.attempts.map((a) => a.outcome)).toEqual(["error", "succeeded"]);
  });
});

describe("a worker stopped with SIGTERM while it starts", () => {
  it("drains and exits 0 instead of dying to the signal", async () => {
    const starting = stack.startWorker();
    // As soon as it takes jobs: the moment a rollout may change its mind.
    await expect.poll(() => starting.output().includes("workers running"), { timeout: 15_000 }).toBe(true);
    starting.child.kill("SIGTERM");
    expect(await starting.exited).toBe(0);
    expect(starting.output()).toContain("SIGTERM: no new jobs");
  });
});
