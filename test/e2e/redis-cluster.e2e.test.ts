import type { PublicJob, RedisClient } from "@llmr/core";
import { createRedis, isCluster, parseClusterNodes } from "@llmr/core";
import type { RunningSimulator } from "@llmr/simulator";
import { simMarker, startSimulator } from "@llmr/simulator";
import type { AppProcess, RedisClusterProcess, WebhookReceiver } from "@llmr/testing";
import {
  findFreePort,
  startAppProcess,
  startRedisCluster,
  startWebhookReceiver,
  waitForOutput,
  waitUntilReady,
} from "@llmr/testing";
import { Webhook } from "standardwebhooks";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { jobFrom } from "./api-answers.ts";
import { writeRouterConfig } from "./router-config-file.ts";

/**
 * The router on a Redis Cluster of three masters: an API process and two worker processes that
 * know the cluster only by its seed nodes (REDIS_CLUSTER_NODES), through a job's whole life.
 * Its own cluster (not the run's Redis), so CI proves Cluster support on every run.
 */
const API_KEY = "llmr_e2e_cluster_0123456789abcdef01234567";
const OPERATOR_TOKEN = "llmr_e2e_cluster_operator";
const PREFIX = "llmr-cluster-e2e";
let cluster: RedisClusterProcess;
let inspector: RedisClient;
let simulator: RunningSimulator;
const apps: AppProcess[] = [];
let apiUrl: string;

let receiver: WebhookReceiver;

beforeAll(async () => {
  [cluster, simulator] = await Promise.all([
    startRedisCluster({ masters: 3 }),
    startSimulator({ port: 0, latencyScale: 0 }),
  ]);
  receiver = await startWebhookReceiver();
  const configPath = writeRouterConfig(PREFIX, "webhooks:\n  allow_private_targets: true\n");
  const port = await findFreePort();
  apiUrl = `http://127.0.0.1:${port}`;
  const env = {
    REDIS_CLUSTER_NODES: cluster.seeds.join(","),
    // A REDIS_URL that leads nowhere: the processes must not fall back to it.
    REDIS_URL: "redis://127.0.0.1:1",
    ROUTER_CONFIG: configPath,
    SIMULATOR_URL: simulator.url,
  };
  apps.push(
    startAppProcess("api", {
      ...env,
      PORT: String(port),
      LLMR_API_KEYS: `cluster:${API_KEY}`,
      LLMR_OPERATOR_TOKEN: OPERATOR_TOKEN,
    }),
    startAppProcess("worker", env),
    startAppProcess("worker", env),
  );
  await waitUntilReady(apps[0] as AppProcess, `${apiUrl}/readyz`);
  await Promise.all(apps.slice(1).map((worker) => waitForOutput(worker, "workers running")));
  inspector = createRedis(parseClusterNodes(cluster.seeds.join(",")), "worker", "llmr-e2e-inspector");
});

afterAll(async () => {
  await Promise.all(apps.map((app) => app.stop()));
  inspector?.disconnect();
  await simulator?.close();
  await receiver?.close();
  await cluster?.stop();
});

const headers = { authorization: `Bearer ${API_KEY}`, "content-type": "application/json" };

async function submit(body: unknown): Promise<PublicJob> {
  const res = await fetch(`${apiUrl}/v1/jobs`, { method: "POST", headers, body: JSON.stringify(body) });
  expect(res.status).toBe(202);
  return jobFrom(res);
}

/** Long-polls (`?wait=`) until the job is finished. */
async function finished(id: string): Promise<PublicJob> {
  for (let round = 0; round < 10; round++) {
    const job = await jobFrom(await fetch(`${apiUrl}/v1/jobs/${id}?wait=10`, { headers }));
    if (["succeeded", "failed", "cancelled"].includes(job.status)) return job;
  }
  throw new Error(`job ${id} did not finish; the workers said:\n${apps[1]?.output()}`);
}

/** The event names of a job's SSE stream, read to its end (the server closes it after `job`). */
async function eventNames(id: string): Promise<string[]> {
  const res = await fetch(`${apiUrl}/v1/jobs/${id}/events`, { headers });
  expect(res.headers.get("content-type")).toMatch(/^text\/event-stream/);
  return [...(await res.text()).matchAll(/^event: (\S+)$/gm)].map((match) => match[1] ?? "");
}

describe("the router on a 3-master Redis Cluster (API and two workers as processes)", () => {
  it("runs a job to success, with its attempts, the event stream and the long-poll", async () => {
    const queued = await submit({ input: `${simMarker({ latency_ms: 100 })} Name three primary colours.` });
    const [events, job] = await Promise.all([eventNames(queued.id), finished(queued.id)]);
    expect(job).toMatchObject({
      status: "succeeded",
      tier: "fast",
      result: { provider: "simulated-openai" },
    });
    expect(job.attempts.map((a) => a.outcome)).toEqual(["succeeded"]);
    expect(job.cost_usd).toBeGreaterThan(0);
    expect(events).toEqual(["status", "status", "attempt", "job"]);
  });

  it("falls back past a failing deployment (shared breaker and limiter scripts) and escalates a truncated answer", async () => {
    const failingOnce = await submit({
      input: `${simMarker({ fault: "503", times: 1, retry_after: 0 })} Say hi`,
      tier: "fast",
    });
    const fallback = await finished(failingOnce.id);
    expect(fallback.attempts.map((a) => `${a.outcome}@${a.provider}`)).toEqual([
      "error@simulated-openai",
      "succeeded@simulated-anthropic",
    ]);

    const truncated = await submit({
      input: `${simMarker({ fault: "truncate", times: 1 })} Explain tides briefly.`,
    });
    const escalated = await finished(truncated.id);
    expect(escalated.status).toBe("succeeded");
    expect(escalated.attempts.map((a) => `${a.tier}:${a.outcome}`)).toEqual([
      "fast:quality_failed",
      "capable:succeeded",
    ]);
    expect(escalated.routing.escalations).toHaveLength(1);
  });

  it("cancels a running call in another process (the notice crosses nodes by pub/sub)", async () => {
    const aborted = simulator.stats().aborted_by_client;
    const job = await submit({ input: `${simMarker({ fault: "hang" })} Say hi` });
    let current = job;
    while (current.status !== "running") {
      current = await jobFrom(await fetch(`${apiUrl}/v1/jobs/${job.id}?wait=0.05`, { headers }));
    }
    const res = await fetch(`${apiUrl}/v1/jobs/${job.id}/cancel`, { method: "POST", headers });
    expect((await jobFrom(res)).status).toBe("cancelled");
    await expect
      .poll(() => simulator.stats().aborted_by_client, { timeout: 10_000 })
      .toBeGreaterThan(aborted);
    await expect
      .poll(
        async () =>
          (await jobFrom(await fetch(`${apiUrl}/v1/jobs/${job.id}`, { headers }))).attempts.map(
            (a) => a.outcome,
          ),
        { timeout: 10_000 },
      )
      .toEqual(["cancelled"]);
  });

  it("delivers a signed webhook for a finished job", async () => {
    const url = receiver.url;
    const job = await finished((await submit({ input: "Say hi", webhook: { url } })).id);
    await expect.poll(() => receiver.received.length, { timeout: 10_000 }).toBe(1);
    const secrets = (await (await fetch(`${apiUrl}/v1/webhooks/secret`, { headers })).json()) as {
      data: { secret: string }[];
    };
    const payload = new Webhook(secrets.data[0]?.secret ?? "").verify(
      receiver.received[0]?.body ?? "",
      receiver.received[0]?.headers ?? {},
    );
    expect(payload).toMatchObject({ type: "job.succeeded", data: { id: job.id } });
    const deliveries = (await (
      await fetch(`${apiUrl}/v1/jobs/${job.id}/deliveries`, { headers })
    ).json()) as {
      data: { status: string }[];
    };
    expect(deliveries.data.map((d) => d.status)).toEqual(["succeeded"]);
  });

  it("shows the operator every deployment's shared state and the queues' depth, read across the nodes", async () => {
    const operator = { authorization: `Bearer ${OPERATOR_TOKEN}` };
    const deployments = await fetch(`${apiUrl}/v1/admin/deployments`, { headers: operator });
    expect(deployments.status).toBe(200);
    const metrics = await fetch(`${apiUrl}/metrics`, { headers: operator });
    expect(metrics.status).toBe(200);
    const text = await metrics.text();
    expect(text).toMatch(/^llmr_cluster_state_up 1$/m);
    expect(text).toContain('llmr_queue_jobs{tier="capable",class="interactive"');
  });

  it("really spreads the router's keys over the nodes: queues and job records live on different masters", async () => {
    if (!isCluster(inspector)) throw new Error("the inspector must be a cluster client");
    await inspector.ping();
    const masters = inspector.nodes("master");
    expect(masters).toHaveLength(3);
    const keysByNode = await Promise.all(masters.map((node) => node.keys(`${PREFIX}:*`)));
    const holding = keysByNode.filter((keys) => keys.length > 0);
    expect(holding.length).toBeGreaterThanOrEqual(2);
    // The escalated job used the fast and the capable queue: tags that hash to different nodes here.
    const nodeOf = (pattern: RegExp) => keysByNode.findIndex((keys) => keys.some((key) => pattern.test(key)));
    const fastQueue = nodeOf(/:\{fast-interactive\}:/);
    const capableQueue = nodeOf(/:\{capable-interactive\}:/);
    expect(fastQueue).toBeGreaterThanOrEqual(0);
    expect(capableQueue).toBeGreaterThanOrEqual(0);
    expect(fastQueue).not.toBe(capableQueue);
    // A job's record and its event stream share the job's tag: one node holds a job's whole story.
    for (const keys of keysByNode) {
      for (const key of keys.filter((k) => /:job:\{job_[^}]+\}$/.test(k)))
        expect(keys).toContain(`${key}:events`);
    }
  });
});
