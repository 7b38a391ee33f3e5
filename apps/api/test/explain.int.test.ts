import type { JobExplanation, PublicJob, RunningTierWorker } from "@llmr/core";
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
import { redisFixture } from "@llmr/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { auth, json, KEY_A, OPERATOR, startTestApi } from "./start-test-api.ts";

const redis = redisFixture();
let simulator: RunningSimulator;
let api: Awaited<ReturnType<typeof startTestApi>>;
let workers: RunningTierWorker[];
let workerQueues: TierQueues;

beforeAll(async () => {
  simulator = await startSimulator({ port: 0, latencyScale: 0 });
  api = await startTestApi({ redisUrl: redis.url, keyPrefix: redis.prefix, simulatorUrl: simulator.url });
  // Workers of every tier, with the shared gates and the job events, as the worker app runs them.
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

const explainUrl = (id: string, query = "") => `${api.url}/v1/admin/jobs/${id}/explain${query}`;
const usd = (value: number) => `$${value.toFixed(10).replace(/0+$/, "")}`;

/** An extract job that a rule starts on "standard", whose first answer reports confidence 0.42. */
async function runEscalatingJob(): Promise<PublicJob> {
  const created = await fetch(`${api.url}/v1/jobs`, {
    method: "POST",
    headers: { ...auth(KEY_A), ...json },
    body: JSON.stringify({
      task: "extract",
      // "compare" fires the default config's rule "reasoning-request" (→ standard).
      input: `${simMarker({ confidence: 0.42, times: 1 })} Compare invoice 42 from ACME with invoice 41.`,
      response_format: {
        type: "json_schema",
        json_schema: {
          name: "invoice",
          schema: { type: "object", properties: { number: { type: "string" } }, required: ["number"] },
        },
      },
    }),
  });
  expect(created.status).toBe(202);
  const { id } = (await created.json()) as PublicJob;
  const done = await fetch(`${api.url}/v1/jobs/${id}?wait=30`, { headers: auth(KEY_A) });
  return (await done.json()) as PublicJob;
}

describe("GET /v1/admin/jobs/{id}/explain", () => {
  it("tells an escalated job's story: rule, tiers, confidence vs threshold, each attempt's model and cost", async () => {
    const job = await runEscalatingJob();
    expect(job.status).toBe("succeeded");
    expect(job.attempts.map((a) => `${a.tier}:${a.outcome}`)).toEqual([
      "standard:low_confidence",
      "capable:succeeded",
    ]);

    const res = await fetch(explainUrl(job.id, "?format=text"), { headers: auth(OPERATOR) });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^text\/plain/);
    const text = await res.text();
    expect(text).toContain(`job ${job.id} (tenant "tenant-a", task "extract", interactive): succeeded`);
    expect(text).toContain('starts on tier "standard" (rule "reasoning-request":');
    expect(text).toContain(
      'confidence 0.42 (self-reported) < min_confidence 0.7 for task "extract" → escalate standard → capable',
    );
    expect(text).toContain(
      'escalated "standard" → "capable" (cause: low confidence; escalation 1 of max_escalations 2)',
    );
    for (const attempt of job.attempts) {
      expect(text).toContain(
        `attempt ${attempt.n} on tier "${attempt.tier}": ${attempt.provider} ${attempt.model} (deployment ${attempt.deployment}) → ${attempt.outcome}`,
      );
      expect(text).toContain(`  attempt ${attempt.n}: ${usd(attempt.cost_usd)}, `);
    }
    expect(text).toContain(`cost: ${usd(job.cost_usd)} in total`);

    const asJson = await fetch(explainUrl(job.id), { headers: auth(OPERATOR) });
    expect(asJson.headers.get("content-type")).toMatch(/^application\/json/);
    const explanation: JobExplanation = JobExplanationSchema.parse(await asJson.json());
    expect(explanation).toMatchObject({ job_id: job.id, status: "succeeded", tenant: "tenant-a" });
    expect(explanation.steps.find((step) => step.kind === "routed")).toMatchObject({
      rule: "reasoning-request",
      initial_tier: "standard",
    });
    expect(explanation.steps.find((step) => step.kind === "escalated")).toMatchObject({
      cause: "low_confidence",
      from_tier: "standard",
      to_tier: "capable",
    });
    expect(explanation.cost.total_usd).toBe(job.cost_usd);
    expect(explanation.cost.by_attempt.map((a) => [a.model, a.cost_usd])).toEqual(
      job.attempts.map((a) => [a.model, a.cost_usd]),
    );
  });

  it("is refused without the operator credential, and with an API key instead", async () => {
    const id = "job_00000000000000000000000000";
    const none = await fetch(explainUrl(id));
    expect(none.status).toBe(401);
    expect(((await none.json()) as { error: { type: string } }).error.type).toBe("authentication_error");
    const apiKey = await fetch(explainUrl(id), { headers: auth(KEY_A) });
    expect(apiKey.status).toBe(401);
  });

  it("answers 404 for an unknown or malformed id, and 400 naming a bad format", async () => {
    const unknown = await fetch(explainUrl("job_00000000000000000000000000"), { headers: auth(OPERATOR) });
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toEqual({ error: { type: "not_found_error", message: "no such job" } });
    const malformed = await fetch(explainUrl("not-a-job"), { headers: auth(OPERATOR) });
    expect(malformed.status).toBe(404);
    const badFormat = await fetch(explainUrl("job_00000000000000000000000000", "?format=xml"), {
      headers: auth(OPERATOR),
    });
    expect(badFormat.status).toBe(400);
    expect(((await badFormat.json()) as { error: { param: string } }).error.param).toBe("format");
  });
});
