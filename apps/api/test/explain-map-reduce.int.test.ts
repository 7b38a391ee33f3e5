import type { ExplainStep, JobExplanation, PublicJob, RunningTierWorker } from "@llmr/core";
import {
  closeTierWorkers,
  createDispatchGates,
  JobEvents,
  JobExplanationSchema,
  JobStore,
  ProviderPool,
  RedisKeys,
  startTierWorkers,
  TierQueues,
} from "@llmr/core";
import type { RunningSimulator } from "@llmr/simulator";
import { simMarker, startSimulator } from "@llmr/simulator";
import { redisFixture, sectionedReport } from "@llmr/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { auth, json, KEY_A, OPERATOR, startTestApi } from "./start-test-api.ts";

const redis = redisFixture();
let simulator: RunningSimulator;
let api: Awaited<ReturnType<typeof startTestApi>>;
let workers: RunningTierWorker[];
let workerQueues: TierQueues;

beforeAll(async () => {
  simulator = await startSimulator({ port: 0, latencyScale: 0 });
  api = await startTestApi({
    redisUrl: redis.url,
    keyPrefix: redis.prefix,
    simulatorUrl: simulator.url,
    // A report of 40 sections (about 2,900 tokens) is summarized in a dozen parts.
    edit: (doc) => {
      const tasks = doc.tasks as Record<string, Record<string, unknown>>;
      if (tasks.summarize) tasks.summarize.map_reduce = { chunk_tokens: 800, overlap_tokens: 0 };
    },
  });
  const connection = redis.connect();
  const keys = new RedisKeys(api.config.redis.keyPrefix);
  workerQueues = new TierQueues(connection, api.config);
  workers = startTierWorkers(connection, {
    config: api.config,
    store: new JobStore(connection, keys, { retentionSeconds: 60 }),
    queues: workerQueues,
    events: new JobEvents(connection, keys, { retentionSeconds: 60 }),
    gates: createDispatchGates(connection, api.config),
    providers: new ProviderPool(api.config),
  });
});
afterAll(async () => {
  await closeTierWorkers(workers);
  await workerQueues.close();
  await api.close();
  await simulator.close();
});

async function summarize(input: string): Promise<PublicJob> {
  const created = await fetch(`${api.url}/v1/jobs`, {
    method: "POST",
    headers: { ...auth(KEY_A), ...json },
    body: JSON.stringify({ task: "summarize", input }),
  });
  expect(created.status).toBe(202);
  const { id } = (await created.json()) as PublicJob;
  const done = await fetch(`${api.url}/v1/jobs/${id}?wait=30`, { headers: auth(KEY_A) });
  return (await done.json()) as PublicJob;
}

async function explain(id: string): Promise<{ explanation: JobExplanation; text: string }> {
  const url = `${api.url}/v1/admin/jobs/${id}/explain`;
  const [asJson, asText] = await Promise.all([
    fetch(url, { headers: auth(OPERATOR) }),
    fetch(`${url}?format=text`, { headers: auth(OPERATOR) }),
  ]);
  expect([asJson.status, asText.status]).toEqual([200, 200]);
  return { explanation: JobExplanationSchema.parse(await asJson.json()), text: await asText.text() };
}

const all = <K extends ExplainStep["kind"]>(explanation: JobExplanation, kind: K) =>
  explanation.steps.filter((s): s is Extract<ExplainStep, { kind: K }> => s.kind === kind);

describe("GET /v1/admin/jobs/{id}/explain of a long input summarized in parts", () => {
  it("tells the split, the part that escalated on its own (from its record), and the call that combined them", async () => {
    const hard = `${simMarker({ difficulty: 0.8 })} `;
    const job = await summarize(sectionedReport(40, { 20: hard }));
    expect(job.status).toBe("succeeded");
    const total = job.attempts.find((a) => a.chunk)?.chunk?.total ?? 0;
    expect(total).toBeGreaterThan(2);
    const { explanation, text } = await explain(job.id);

    expect(all(explanation, "split")).toEqual([
      expect.objectContaining({
        round: 1,
        source: "input",
        parts: total,
        limit_tokens: 800,
        limited_by: "chunk_tokens",
        config_field: "tasks.summarize.map_reduce.chunk_tokens",
      }),
    ]);
    const parts = all(explanation, "part");
    expect(parts.map((p) => p.part.index)).toEqual(Array.from({ length: total }, (_, i) => i + 1));
    expect(parts.every((p) => p.source === "part_record" && p.status === "succeeded")).toBe(true);
    // Each part's steps carry its attempts, in the job's numbering, and nothing else's.
    for (const part of parts) {
      const mine = job.attempts.filter((a) => a.chunk?.index === part.part.index).map((a) => a.n);
      expect(part.attempts).toEqual(mine);
      const told = all(explanation, "attempt").filter((s) => s.part?.index === part.part.index);
      expect(told.map((s) => s.n)).toEqual(mine);
    }
    const weak = parts.find((p) => p.escalations.length > 0);
    expect(weak?.tiers).toEqual(["fast", "standard", "capable"]);
    expect(weak?.escalations.map((e) => `${e.from_tier}→${e.to_tier}:${e.cause}`)).toEqual([
      "fast→standard:low_confidence",
      "standard→capable:low_confidence",
    ]);
    // The part's escalations are told as its own; the job's escalated steps are only its own call's.
    const escalated = all(explanation, "escalated");
    expect(escalated.filter((s) => s.part?.index === weak?.part.index)).toHaveLength(2);
    expect(escalated.filter((s) => !s.part)).toHaveLength(job.routing.escalations.length);
    expect(all(explanation, "combine")).toEqual([expect.objectContaining({ round: 1, summaries: total })]);
    const own = job.attempts.filter((a) => !a.chunk).map((a) => a.n);
    expect(
      all(explanation, "attempt")
        .filter((s) => !s.part)
        .map((s) => s.n),
    ).toEqual(own);
    expect(explanation.cost.by_attempt.map((a) => a.chunk ?? null)).toEqual(
      job.attempts.map((a) => a.chunk ?? null),
    );
    expect((explanation.cost.parts_usd ?? 0) + (explanation.cost.combine_usd ?? 0)).toBeCloseTo(
      job.cost_usd,
      9,
    );

    expect(text).toContain(`split into ${total} parts, each summarized as its own job`);
    expect(text).toContain(
      `part ${weak?.part.index}/${total}: escalated "fast" → "standard" (cause: low confidence; escalation 1 of max_escalations 2)`,
    );
    expect(text).toContain(`the job's own call combines the ${total} parts' summaries into one answer`);
    expect(explanation.summary).toMatch(
      new RegExp(
        `^Succeeded on tier "[a-z]+" \\(.+\\): the input \\([\\d,]+ tokens\\) was split into ${total} parts`,
      ),
    );
  });

  it("tells chunk_failed: the part that failed for good with its own error, not a retry of another part", async () => {
    const broken = `${simMarker({ fault: "400" })} `;
    const job = await summarize(sectionedReport(40, { 20: broken }));
    expect(job.status).toBe("failed");
    expect(job.error?.type).toBe("chunk_failed");
    const index = Number(job.error?.message.match(/^part (\d+)/)?.[1]);
    const { explanation, text } = await explain(job.id);

    const failed = all(explanation, "part").find((p) => p.part.index === index);
    expect(failed).toMatchObject({
      status: "failed",
      source: "part_record",
      error: { type: "provider_error" },
    });
    expect(all(explanation, "retry").filter((s) => s.part?.index === index)).toEqual([]);
    expect(all(explanation, "combine")).toEqual([]);
    expect(all(explanation, "finished")[0]?.text).toMatch(
      /^failed with chunk_failed: part \d+ of \d+, .* — one part of the split input failed for good/,
    );
    expect(text).toContain(`part ${index}/`);
  });
});
