import type { IncomingMessage, ServerResponse } from "node:http";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import type { RunningSimulator } from "@llmr/simulator";
import { startSimulator } from "@llmr/simulator";
import type { AppProcess } from "@llmr/testing";
import { findFreePort, redisFixture, startAppProcess, waitUntilReady } from "@llmr/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { jobFrom } from "./api-answers.ts";
import { writeRouterConfig } from "./router-config-file.ts";

const API_KEY = "llmr_e2e_hookcrash_0123456789abcdef01234";
const redis = redisFixture();
let simulator: RunningSimulator;
let api: AppProcess;
const workers: AppProcess[] = [];
let apiUrl: string;
let env: Record<string, string>;

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
  simulator = await startSimulator({ port: 0, latencyScale: 0 });
  await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
  const configPath = writeRouterConfig(redis.prefix, "webhooks:\n  allow_private_targets: true\n");
  const port = await findFreePort();
  apiUrl = `http://127.0.0.1:${port}`;
  // A short lock so that a dead worker's job is taken up again within seconds.
  env = {
    ...redis.env,
    ROUTER_CONFIG: configPath,
    SIMULATOR_URL: simulator.url,
    WORKER_LOCK_DURATION_MS: "2000",
  };
  api = startAppProcess("api", { ...env, PORT: String(port), LLMR_API_KEYS: `hookcrash:${API_KEY}` });
  await waitUntilReady(api, `${apiUrl}/readyz`);
});

afterAll(async () => {
  await Promise.all([api?.stop(), ...workers.map((worker) => worker.stop())]);
  await simulator?.close();
  receiver.closeAllConnections();
  await new Promise((resolve) => receiver.close(resolve));
});

const headers = { authorization: `Bearer ${API_KEY}`, "content-type": "application/json" };

describe("a worker killed after finishing a job, before queueing its webhook", () => {
  it("leaves the webhook to the next worker: delivered exactly once, and the job is not run again", async () => {
    const doomed = startAppProcess("worker", { ...env, LLMR_FAILPOINT: "after-finish-recorded" });
    workers.push(doomed);
    const hookUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
    const res = await fetch(`${apiUrl}/v1/jobs`, {
      method: "POST",
      headers,
      body: JSON.stringify({ input: "Name a colour.", webhook: { url: hookUrl } }),
    });
    const { id } = await jobFrom(res);

    await doomed.exited;
    expect(doomed.child.signalCode).toBe("SIGKILL");
    const finished = await jobFrom(await fetch(`${apiUrl}/v1/jobs/${id}`, { headers }));
    expect(finished.status).toBe("succeeded");
    expect(received).toEqual([]);

    // The next worker finds the dead one's job stalled once its lock expires, sees it finished,
    // and queues the webhook it never got.
    workers.push(startAppProcess("worker", env));
    await expect.poll(() => received.length, { timeout: 30_000, interval: 100 }).toBe(1);
    expect(received).toEqual([{ type: "job.succeeded", jobId: id }]);
    const after = await jobFrom(await fetch(`${apiUrl}/v1/jobs/${id}`, { headers }));
    expect(after.attempts).toHaveLength(1);
    expect(simulator.stats().requests_total).toBe(1);
  });
});
