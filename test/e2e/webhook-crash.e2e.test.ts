import type { IncomingMessage, ServerResponse } from "node:http";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { crashStack } from "./crash-stack.ts";

// Private targets allowed: the receiver is on loopback.
const stack = crashStack({
  apiKey: "llmr_e2e_hookcrash_0123456789abcdef01234",
  extraYaml: "webhooks:\n  allow_private_targets: true\n",
});

const received: Array<{ type: string; jobId: string }> = [];
const receiver = createServer((req: IncomingMessage, res: ServerResponse) => {
  let body = "";
  req.on("data", (chunk: Buffer) => {
    body += chunk.toString();
  });
  req.on("end", () => {
    const event = JSON.parse(body) as { type: string; data: { id: string } };
    received.push({ type: event.type, jobId: event.data.id });
    res.writeHead(200).end("ok");
  });
});

beforeAll(async () => {
  await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
});

afterAll(async () => {
  receiver.closeAllConnections();
  await new Promise((resolve) => receiver.close(resolve));
});

describe("a worker killed after finishing a job, before queueing its webhook", () => {
  it("leaves the webhook to the next worker: delivered exactly once, and the job is not run again", async () => {
    const doomed = stack.startWorker({ LLMR_FAILPOINT: "after-finish-recorded" });
    const hookUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
    const { id } = await stack.submit({ input: "Name a colour.", webhook: { url: hookUrl } });

    await doomed.exited;
    expect(doomed.child.signalCode).toBe("SIGKILL");
    const finished = await stack.getJob(id);
    expect(finished.status).toBe("succeeded");
    expect(received).toEqual([]);

    // The next worker finds the dead one's job stalled once its lock expires, sees it finished,
    // and queues the webhook it never got.
    stack.startWorker();
    await expect.poll(() => received.length, { timeout: 30_000, interval: 100 }).toBe(1);
    expect(received).toEqual([{ type: "job.succeeded", jobId: id }]);
    const after = await stack.getJob(id);
    expect(after.attempts).toHaveLength(1);
    expect(stack.simulator.stats().requests_total).toBe(1);
  });
});
