import type { PublicJob } from "@llmr/core";
import type { RunningSimulator } from "@llmr/simulator";
import { simMarker, startSimulator } from "@llmr/simulator";
import type { AppProcess } from "@llmr/testing";
import { findFreePort, redisFixture, startAppProcess, waitUntilReady } from "@llmr/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { jobFrom } from "./api-answers.ts";
import { writeRouterConfig } from "./router-config-file.ts";

const API_KEY = "llmr_e2e_crash_0123456789abcdef0123456789";
const redis = redisFixture();
let simulator: RunningSimulator;
let api: AppProcess;
const workers: AppProcess[] = [];
let apiUrl: string;
let env: Record<string, string>;

beforeAll(async () => {
  simulator = await startSimulator({ port: 0, latencyScale: 0 });
  const configPath = writeRouterConfig(redis.prefix);
  const port = await findFreePort();
  apiUrl = `http://127.0.0.1:${port}`;
  // A short lock so that a dead worker's job is taken up again within seconds.
  env = {
    ...redis.env,
    ROUTER_CONFIG: configPath,
    SIMULATOR_URL: simulator.url,
    WORKER_LOCK_DURATION_MS: "2000",
  };
  api = startAppProcess("api", { ...env, PORT: String(port), LLMR_API_KEYS: `crash:${API_KEY}` });
  await waitUntilReady(api, `${apiUrl}/readyz`);
});

afterAll(async () => {
  await Promise.all([api?.stop(), ...workers.map((worker) => worker.stop())]);
  await simulator?.close();
});

const headers = { authorization: `Bearer ${API_KEY}`, "content-type": "application/json" };

async function getJob(id: string): Promise<PublicJob> {
  return jobFrom(await fetch(`${apiUrl}/v1/jobs/${id}`, { headers }));
}

describe("escalation survives a worker crash", () => {
  it("a worker killed right after recording a failed check leaves the job to finish on the capable tier exactly once", async () => {
    const doomed = startAppProcess("worker", { ...env, LLMR_FAILPOINT: "after-escalation-recorded" });
    workers.push(doomed);
    const res = await fetch(`${apiUrl}/v1/jobs`, {
      method: "POST",
      headers,
      body: JSON.stringify({ input: `${simMarker({ fault: "truncate", times: 1 })} Explain tides briefly.` }),
    });
    const { id } = await jobFrom(res);

    // The worker dies by SIGKILL at the failpoint: after the escalation is in the record, before
    // the capable tier's queue has the job.
    await doomed.exited;
    expect(doomed.child.signalCode).toBe("SIGKILL");
    const between = await getJob(id);
    expect(between.status).toBe("queued");
    expect(between.tier).toBe("capable");
    expect(between.attempts.map((a) => `${a.tier}:${a.outcome}`)).toEqual(["fast:quality_failed"]);

    const capableCallsBefore = simulator.stats().requests_by_model["gpt-5.4"] ?? 0;
    workers.push(startAppProcess("worker", env));
    let job = between;
    const deadline = Date.now() + 30_000;
    while (!["succeeded", "failed", "cancelled"].includes(job.status) && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      job = await getJob(id);
    }
    expect(job.status).toBe("succeeded");
    expect(job.attempts.map((a) => `${a.tier}:${a.outcome}`)).toEqual([
      "fast:quality_failed",
      "capable:succeeded",
    ]);
    expect(job.routing.escalations).toHaveLength(1);
    expect((simulator.stats().requests_by_model["gpt-5.4"] ?? 0) - capableCallsBefore).toBe(1);
  });
});
