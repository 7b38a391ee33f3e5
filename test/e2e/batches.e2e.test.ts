import type { PublicBatch } from "@llmr/core";
import { BatchObjectSchema } from "@llmr/core";
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
import { writeRouterConfig } from "./router-config-file.ts";

const API_KEY = "llmr_e2e_batches_0123456789abcdef0123456";
const redis = redisFixture();
let simulator: RunningSimulator;
let api: AppProcess;
let worker: AppProcess;
let apiUrl: string;
let receiver: WebhookReceiver;

beforeAll(async () => {
  simulator = await startSimulator({ port: 0, latencyScale: 0 });
  receiver = await startWebhookReceiver();
  const configPath = writeRouterConfig(
    redis.prefix,
    "webhooks:\n  allow_private_targets: true\n  schedule_scale: 0.0001\n",
  );
  const port = await findFreePort();
  apiUrl = `http://127.0.0.1:${port}`;
  const env = { ...redis.env, ROUTER_CONFIG: configPath, SIMULATOR_URL: simulator.url };
  api = startAppProcess("api", { ...env, PORT: String(port), LLMR_API_KEYS: `batches:${API_KEY}` });
  worker = startAppProcess("worker", env);
  await waitUntilReady(api, `${apiUrl}/readyz`);
});

afterAll(async () => {
  await Promise.all([api?.stop(), worker?.stop()]);
  await simulator?.close();
  await receiver?.close();
});

const headers = { authorization: `Bearer ${API_KEY}` };

describe("a batch across processes", () => {
  it("is uploaded as NDJSON to the API, run by the worker, and announced once by a signed batch.completed", async () => {
    const hookUrl = receiver.url;
    const lines = [
      { object: "batch.options", webhook: { url: hookUrl }, defaults: { max_output_tokens: 48 } },
      ...Array.from({ length: 6 }, (_, i) => ({ custom_id: `doc-${i}`, input: `Summarize document ${i}.` })),
    ];
    const res = await fetch(`${apiUrl}/v1/batches`, {
      method: "POST",
      headers: { ...headers, "content-type": "application/x-ndjson" },
      body: `${lines.map((line) => JSON.stringify(line)).join("\n")}\n`,
    });
    expect(res.status).toBe(202);
    const { id } = BatchObjectSchema.parse(await res.json());

    let batch: PublicBatch | undefined;
    const deadline = Date.now() + 30_000;
    while (Date.now() < deadline && (batch?.status !== "completed" || receiver.received.length === 0)) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      batch = (await (await fetch(`${apiUrl}/v1/batches/${id}`, { headers })).json()) as PublicBatch;
    }
    expect(batch).toMatchObject({ status: "completed", counts: { total: 6, succeeded: 6 } });
    const results = (await (await fetch(`${apiUrl}/v1/batches/${id}/results`, { headers })).text())
      .trim()
      .split("\n");
    expect(results.map((line) => JSON.parse(line).custom_id ?? JSON.parse(line).object)).toEqual([
      ...lines.slice(1).map((line) => (line as { custom_id: string }).custom_id),
      "batch.results_end",
    ]);

    const secrets = (await (await fetch(`${apiUrl}/v1/webhooks/secret`, { headers })).json()) as {
      data: Array<{ secret: string }>;
    };
    expect(receiver.received).toHaveLength(1);
    const payload = new Webhook(secrets.data[0]?.secret ?? "").verify(
      receiver.received[0]?.body ?? "",
      receiver.received[0]?.headers ?? {},
    ) as {
      type: string;
      data: PublicBatch;
    };
    expect(payload.type).toBe("batch.completed");
    expect(payload.data).toMatchObject({
      id,
      status: "completed",
      counts: batch?.counts,
      cost_usd: batch?.cost_usd,
    });
  });
});
