import type { WebhookReceiver } from "@llmr/testing";
import { startWebhookReceiver } from "@llmr/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { crashStack } from "./crash-stack.ts";

// Private targets allowed: the receiver is on loopback.
const stack = crashStack({
  apiKey: "llmr_e2e_hookcrash_0123456789abcdef01234",
  extraYaml: "webhooks:\n  allow_private_targets: true\n",
});

let receiver: WebhookReceiver;
/** The deliveries so far: their event type and job id. */
const received = () =>
  receiver.received.map((hook) => {
    const event = JSON.parse(hook.body) as { type: string; data: { id: string } };
    return { type: event.type, jobId: event.data.id };
  });

beforeAll(async () => {
  receiver = await startWebhookReceiver();
});

afterAll(async () => {
  await receiver?.close();
});

describe("a worker killed after finishing a job, before queueing its webhook", () => {
  it("leaves the webhook to the next worker: delivered exactly once, and the job is not run again", async () => {
    const doomed = stack.startWorker({ LLMR_FAILPOINT: "after-finish-recorded" });
    const hookUrl = receiver.url;
    const { id } = await stack.submit({ input: "Name a colour.", webhook: { url: hookUrl } });

    await doomed.exited;
    expect(doomed.child.signalCode).toBe("SIGKILL");
    const finished = await stack.getJob(id);
    expect(finished.status).toBe("succeeded");
    expect(received()).toEqual([]);

    // The next worker finds the dead one's job stalled once its lock expires, sees it finished,
    // and queues the webhook it never got.
    stack.startWorker();
    await expect.poll(() => received().length, { timeout: 30_000, interval: 100 }).toBe(1);
    expect(received()).toEqual([{ type: "job.succeeded", jobId: id }]);
    const after = await stack.getJob(id);
    expect(after.attempts).toHaveLength(1);
    expect(stack.simulator.stats().requests_total).toBe(1);
  });
});
