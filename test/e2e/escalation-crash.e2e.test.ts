import { simMarker } from "@llmr/simulator";
import { describe, expect, it } from "vitest";
import { crashStack } from "./crash-stack.ts";

const stack = crashStack({ apiKey: "llmr_e2e_crash_0123456789abcdef0123456789" });

describe("escalation survives a worker crash", () => {
  it("a worker killed right after recording a failed check leaves the job to finish on the capable tier exactly once", async () => {
    const doomed = stack.startWorker({ LLMR_FAILPOINT: "after-escalation-recorded" });
    const { id } = await stack.submit({
      input: `${simMarker({ fault: "truncate", times: 1 })} Explain tides briefly.`,
    });

    // The worker dies by SIGKILL at the failpoint: after the escalation is in the record, before
    // the capable tier's queue has the job.
    await doomed.exited;
    expect(doomed.child.signalCode).toBe("SIGKILL");
    const between = await stack.getJob(id);
    expect(between.status).toBe("queued");
    expect(between.tier).toBe("capable");
    expect(between.attempts.map((a) => `${a.tier}:${a.outcome}`)).toEqual(["fast:quality_failed"]);

    const capableCallsBefore = stack.simulator.stats().requests_by_model["gpt-5.4"] ?? 0;
    stack.startWorker();
    let job = between;
    const deadline = Date.now() + 30_000;
    while (!["succeeded", "failed", "cancelled"].includes(job.status) && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      job = await stack.getJob(id);
    }
    expect(job.status).toBe("succeeded");
    expect(job.attempts.map((a) => `${a.tier}:${a.outcome}`)).toEqual([
      "fast:quality_failed",
      "capable:succeeded",
    ]);
    expect(job.routing.escalations).toHaveLength(1);
    expect((stack.simulator.stats().requests_by_model["gpt-5.4"] ?? 0) - capableCallsBefore).toBe(1);
  });
});
