import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import type { PublicBatch, PublicJob } from "@llmr/core";
import { BatchObjectSchema, JobObjectSchema } from "@llmr/core";
import type { RunningSimulator } from "@llmr/simulator";
import { startSimulator } from "@llmr/simulator";
import type { AppProcess, WebhookReceiver } from "@llmr/testing";
import {
  findFreePort,
  REPO_ROOT,
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

/** Exactly one delivery, signed with the key's secret: the batch's `batch.completed` with its final object. */
async function expectOneBatchCompleted(
  deliveries: WebhookReceiver["received"],
  id: string,
  batch: PublicBatch | undefined,
): Promise<void> {
  const secrets = (await (await fetch(`${apiUrl}/v1/webhooks/secret`, { headers })).json()) as {
    data: Array<{ secret: string }>;
  };
  expect(deliveries).toHaveLength(1);
  const payload = new Webhook(secrets.data[0]?.secret ?? "").verify(
    deliveries[0]?.body ?? "",
    deliveries[0]?.headers ?? {},
  ) as { type: string; data: PublicBatch };
  expect(payload.type).toBe("batch.completed");
  expect(payload.data).toMatchObject({
    id,
    status: "completed",
    counts: batch?.counts,
    cost_usd: batch?.cost_usd,
  });
}

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

    await expectOneBatchCompleted(receiver.received, id, batch);
  });

  it("summarizes real documents: long meetings in parts (map-reduce), every item in order, one webhook", async () => {
    const documents = resolve(REPO_ROOT, "../shared/data/documents");
    const read = (file: string) =>
      readFileSync(resolve(documents, file), "utf8")
        .trim()
        .split("\n")
        .map((line) => JSON.parse(line) as { id: string; text: string });
    // 3.6k tokens (one call), 6.6k (2+ parts), 11k of long speeches (2+ parts), 33k (6+ parts).
    const wanted = ["qmsum-IS1003a", "qmsum-IS1003b", "qmsum-education_17", "qmsum-Bmr006"];
    const meetings = read("qmsum-meetings.jsonl").filter((doc) => wanted.includes(doc.id));
    const abstracts = read("scitldr-abstracts.jsonl").slice(0, 8);
    const items = [...meetings, ...abstracts].map((doc) => ({ custom_id: doc.id, input: doc.text }));
    const before = receiver.received.length;
    const res = await fetch(`${apiUrl}/v1/batches`, {
      method: "POST",
      headers: { ...headers, "content-type": "application/json" },
      body: JSON.stringify({ items, defaults: { task: "summarize" }, webhook: { url: receiver.url } }),
    });
    expect(res.status).toBe(202);
    const { id } = BatchObjectSchema.parse(await res.json());

    let batch: PublicBatch | undefined;
    const deadline = Date.now() + 60_000;
    while (Date.now() < deadline && (batch?.status !== "completed" || receiver.received.length === before)) {
      await new Promise((done) => setTimeout(done, 200));
      batch = (await (await fetch(`${apiUrl}/v1/batches/${id}`, { headers })).json()) as PublicBatch;
    }
    expect(batch).toMatchObject({
      status: "completed",
      counts: { total: items.length, succeeded: items.length },
    });

    const lines = (await (await fetch(`${apiUrl}/v1/batches/${id}/results`, { headers })).text())
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line));
    expect(lines.map((line) => line.custom_id ?? line.object)).toEqual([
      ...items.map((item) => item.custom_id),
      "batch.results_end",
    ]);
    for (const line of lines.slice(0, -1)) {
      expect(line.status, line.custom_id).toBe("succeeded");
      expect(line.output_text.length, line.custom_id).toBeGreaterThan(40);
    }

    // The long meetings went through map-reduce: parts as their own calls, then one to combine.
    const jobOf = async (customId: string) => {
      const line = lines.find((candidate) => candidate.custom_id === customId);
      const answer = await fetch(`${apiUrl}/v1/jobs/${line.job_id}`, { headers });
      return JobObjectSchema.parse(await answer.json()) as PublicJob;
    };
    const parts = { "qmsum-IS1003a": 0, "qmsum-IS1003b": 2, "qmsum-education_17": 2, "qmsum-Bmr006": 6 };
    for (const [customId, count] of Object.entries(parts)) {
      const job = await jobOf(customId);
      if (count === 0) {
        expect(job.progress, customId).toBeUndefined();
        continue;
      }
      // At least one part per 6,000 tokens (the shipped chunk_tokens); a cut at a turn may add one.
      const total = job.progress?.chunks_total ?? 0;
      expect(total, customId).toBeGreaterThanOrEqual(count);
      expect(job.progress, customId).toMatchObject({ phase: "reduce", chunks_done: total });
      const chunks = new Set(job.attempts.filter((a) => a.chunk?.round === 1).map((a) => a.chunk?.index));
      expect(chunks.size, customId).toBe(total);
      expect(job.attempts.at(-1)?.chunk, customId).toBeUndefined();
      expect(job.cost_usd).toBeCloseTo(
        job.attempts.reduce((sum, a) => sum + a.cost_usd, 0),
        9,
      );
    }

    await expectOneBatchCompleted(receiver.received.slice(before), id, batch);
  });
});
