import type { ServerResponse } from "node:http";
import type { PublicJob } from "@llmr/core";
import type { RunningSimulator } from "@llmr/simulator";
import { startSimulator } from "@llmr/simulator";
import type { AppProcess, WebhookReceiver } from "@llmr/testing";
import {
  findFreePort,
  redisFixture,
  startAppProcess,
  startWebhookReceiver,
  waitUntilReady,
} from "@llmr/testing";
import { Webhook } from "standardwebhooks";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { jobFrom } from "./api-answers.ts";
import { writeRouterConfig } from "./router-config-file.ts";

const API_KEY = "llmr_e2e_hooks_0123456789abcdef012345678";
const redis = redisFixture();
let simulator: RunningSimulator;
let api: AppProcess;
let worker: AppProcess;
let apiUrl: string;

let answers: Array<(res: ServerResponse) => void> = [];
let receiver: WebhookReceiver;

beforeAll(async () => {
  simulator = await startSimulator({ port: 0, latencyScale: 0 });
  receiver = await startWebhookReceiver({
    respond: (hook, res) => {
      const answer = hook.path === "/hook" ? answers.shift() : undefined;
      answer?.(res);
      return answer !== undefined;
    },
  });
  // Private targets allowed (the receiver is on loopback) and the day-long schedule compressed.
  const configPath = writeRouterConfig(
    redis.prefix,
    "webhooks:\n  allow_private_targets: true\n  timeout_ms: 500\n  schedule_scale: 0.0001\n",
  );
  const port = await findFreePort();
  apiUrl = `http://127.0.0.1:${port}`;
  const env = { ...redis.env, ROUTER_CONFIG: configPath, SIMULATOR_URL: simulator.url };
  api = startAppProcess("api", { ...env, PORT: String(port), LLMR_API_KEYS: `hooks:${API_KEY}` });
  worker = startAppProcess("worker", env);
  await waitUntilReady(api, `${apiUrl}/readyz`);
});

afterAll(async () => {
  await Promise.all([api?.stop(), worker?.stop()]);
  await simulator?.close();
  await receiver?.close();
});

const headers = { authorization: `Bearer ${API_KEY}`, "content-type": "application/json" };

describe("signed webhooks", () => {
  it("retries a 500, a timeout and a 302 with the same webhook-id and fresh valid signatures until a 200", async () => {
    const hookUrl = receiver.url;
    answers = [
      (res) => res.writeHead(500).end("boom"),
      () => undefined, // never answers: the 500 ms timeout counts as a failed try
      (res) => res.writeHead(302, { location: "/elsewhere" }).end(),
      (res) => res.writeHead(200).end("ok"),
    ];
    const res = await fetch(`${apiUrl}/v1/jobs`, {
      method: "POST",
      headers,
      body: JSON.stringify({ input: "Say hi", webhook: { url: hookUrl } }),
    });
    const { id } = await jobFrom(res);

    const deadline = Date.now() + 20_000;
    let deliveries: Array<{ id: string; status: string; attempts: unknown[] }> = [];
    while (Date.now() < deadline) {
      const list = await fetch(`${apiUrl}/v1/jobs/${id}/deliveries`, { headers });
      deliveries = ((await list.json()) as { data: typeof deliveries }).data;
      if (deliveries[0]?.status === "succeeded") break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(deliveries).toHaveLength(1);
    expect(deliveries[0]?.status).toBe("succeeded");
    expect(deliveries[0]?.attempts).toHaveLength(4);

    const hooks = receiver.received.filter((r) => r.path === "/hook");
    expect(hooks).toHaveLength(4);
    expect(receiver.received.filter((r) => r.path === "/elsewhere")).toHaveLength(0);
    expect(new Set(hooks.map((h) => h.headers["webhook-id"])).size).toBe(1);
    expect(hooks[0]?.headers["webhook-id"]).toBe(deliveries[0]?.id);

    const secrets = (await (await fetch(`${apiUrl}/v1/webhooks/secret`, { headers })).json()) as {
      data: Array<{ secret: string }>;
    };
    const verifier = new Webhook(secrets.data[0]?.secret ?? "");
    for (const hook of hooks) {
      const payload = verifier.verify(hook.body, hook.headers) as { type: string; data: PublicJob };
      expect(payload.type).toBe("job.succeeded");
      expect(payload.data.id).toBe(id);
      expect(payload.data.status).toBe("succeeded");
    }
    // Their secret is never in any log line.
    for (const { secret } of secrets.data) {
      expect(api.output()).not.toContain(secret);
      expect(worker.output()).not.toContain(secret);
    }
  });
});
