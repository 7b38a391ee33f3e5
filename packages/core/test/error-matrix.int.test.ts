import { randomUUID } from "node:crypto";
import type { RunningSimulator, SimMarkerInput } from "@llmr/simulator";
import { simMarker, startSimulator } from "@llmr/simulator";
import { redisFixture } from "@llmr/testing";
import { afterAll, beforeAll, describe, it } from "vitest";
import type { PublicJob } from "../src/job-record.ts";
import { JobRequestSchema } from "../src/job-request.ts";
import { JobStore } from "../src/job-store.ts";
import { ProviderPool } from "../src/provider-pool.ts";
import { RedisKeys } from "../src/redis-keys.ts";
import { createDispatchGates } from "../src/select-deployment.ts";
import { submitJob } from "../src/submit-job.ts";
import { TierQueues } from "../src/tier-queues.ts";
import { closeTierWorkers, startTierWorkers } from "../src/tier-workers.ts";
import { routerTestConfig } from "./router-test-config.ts";
import type { StatusFaultProxy } from "./status-fault-proxy.ts";
import { startStatusFaultProxy } from "./status-fault-proxy.ts";

// Keys that are not key-shaped (no `sk-`), so only scrubbing the configured secret itself hides them.
const OPENAI_KEY = "llmr-matrix-openai-7c1f9e2ad04b";
const ANTHROPIC_KEY = "llmr-matrix-anthropic-5b8d3e6f1a27";

const redis = redisFixture();
let simulator: RunningSimulator;
let proxy: StatusFaultProxy;
beforeAll(async () => {
  simulator = await startSimulator({ port: 0, latencyScale: 0 });
  proxy = await startStatusFaultProxy(simulator.url);
});
afterAll(async () => {
  await proxy?.close();
  await simulator?.close();
});

type Doc = Parameters<NonNullable<Parameters<typeof routerTestConfig>[0]["edit"]>>[0];

/**
 * The router as the worker app runs it (shared gates on), with real `openai` and `anthropic`
 * providers whose base URLs point at the fault proxy in front of the simulator. Each test has its
 * own (key prefix, breakers, budgets), so the tests run side by side; only the fast tier's
 * interactive queue is worked, as nothing here leaves it.
 */
function startRouter(edit: (doc: Doc) => void, onTestFinished: (close: () => Promise<void>) => void) {
  const config = routerTestConfig({
    simulatorUrl: simulator.url,
    keyPrefix: redis.uniquePrefix(),
    edit,
    env: {
      OPENAI_API_KEY: OPENAI_KEY,
      OPENAI_BASE_URL: `${proxy.url}/v1`,
      ANTHROPIC_API_KEY: ANTHROPIC_KEY,
      ANTHROPIC_BASE_URL: proxy.url,
    },
  });
  const connection = redis.connect();
  const store = new JobStore(connection, new RedisKeys(config.redis.keyPrefix), { retentionSeconds: 60 });
  const queues = new TierQueues(connection, config);
  const waiters = new Map<string, (job: PublicJob) => void>();
  const workers = startTierWorkers(
    connection,
    {
      config,
      store,
      queues,
      gates: createDispatchGates(connection, config),
      providers: new ProviderPool(config),
      onEvent: (event) => {
        if (event.type === "finished") waiters.get(event.jobId)?.(event.job);
      },
    },
    { tiers: ["fast"], classes: ["interactive"] },
  );
  onTestFinished(async () => {
    await closeTierWorkers(workers);
    await queues.close();
  });
  return async (input: string) => {
    const record = await submitJob({ config, store, queues }, "tenant-a", JobRequestSchema.parse({ input }));
    return new Promise<PublicJob>((resolve) => waiters.set(record.job.id, resolve));
  };
}

const protocols = [
  { name: "OpenAI", first: "gpt-5.4-nano", second: "claude-haiku-4-5" },
  { name: "Anthropic", first: "claude-haiku-4-5", second: "gpt-5.4-nano" },
] as const;
const pathOf = (model: string) => (model.startsWith("claude") ? "/v1/messages" : "/v1/chat/completions");

/**
 * The fast tier serves `models` in this order. Nothing else moves the job: no fallback to the next
 * tier, and every answer is good enough (the heuristic confidence of an answer is not under test).
 */
const fastTierOf = (models: readonly string[]) => (doc: Doc) => {
  doc.jobs = { fallback_to_next_tier: false };
  const chat = (doc.tasks as Record<string, { escalation?: Record<string, unknown> }>).chat;
  if (chat) chat.escalation = { ...chat.escalation, min_confidence: 0 };
  const fast = doc.tiers[0] as { deployments: Array<{ model: string }> };
  fast.deployments = models.map((model) => {
    const deployment = fast.deployments.find((candidate) => candidate.model === model);
    if (!deployment) throw new Error(`no deployment of ${model} in the fast tier`);
    return deployment;
  });
};

interface MatrixCase {
  name: string;
  /** How the job's first call fails: a simulator marker, or a status only the proxy can send. */
  fault: { marker: SimMarkerInput } | { status: number; message: string };
  retried: boolean;
  /** Outcome of the failed first attempt. */
  outcome: "error" | "rate_limited";
  /** For fatal errors: what the provider said, which the job's error must carry. */
  says?: string;
}

const cases: MatrixCase[] = [
  {
    name: "400",
    fault: { marker: { fault: "400" } },
    retried: false,
    outcome: "error",
    says: "invalid request",
  },
  {
    name: "401",
    // Vendors echo (part of) the key they got: the job's error must not.
    fault: { status: 401, message: "Incorrect API key provided: {key}. Check your key and try again." },
    retried: false,
    outcome: "error",
    says: "Incorrect API key provided",
  },
  {
    name: "403",
    fault: { status: 403, message: "The key {key} is not allowed to use this model in this region." },
    retried: false,
    outcome: "error",
    says: "is not allowed to use this model",
  },
  {
    name: "404",
    fault: { status: 404, message: "The model does not exist or you do not have access to it." },
    retried: false,
    outcome: "error",
    says: "does not exist or you do not have access",
  },
  { name: "408", fault: { status: 408, message: "Request timed out." }, retried: true, outcome: "error" },
  {
    name: "409",
    fault: { status: 409, message: "Lock timeout: try again." },
    retried: true,
    outcome: "error",
  },
  {
    name: "422",
    fault: { status: 422, message: "Unprocessable entity: the tool schema is invalid." },
    retried: false,
    outcome: "error",
    says: "the tool schema is invalid",
  },
  {
    name: "429 with retry-after",
    fault: { marker: { fault: "429", retry_after: 2, times: 1 } },
    retried: true,
    outcome: "rate_limited",
  },
  {
    name: "429 with retry-after-ms",
    fault: { marker: { fault: "429", retry_after: 3, retry_after_ms: 1_500, times: 1 } },
    retried: true,
    outcome: "rate_limited",
  },
  { name: "500", fault: { marker: { fault: "500", times: 1 } }, retried: true, outcome: "error" },
  { name: "502", fault: { status: 502, message: "Bad gateway." }, retried: true, outcome: "error" },
  { name: "503", fault: { marker: { fault: "503", times: 1 } }, retried: true, outcome: "error" },
  { name: "529", fault: { marker: { fault: "529", times: 1 } }, retried: true, outcome: "error" },
  {
    name: "connection reset",
    fault: { marker: { fault: "reset", times: 1 } },
    retried: true,
    outcome: "error",
  },
  // The server's explicit verdict beats the status, both ways.
  {
    name: "500 with x-should-retry: false",
    fault: { marker: { fault: "500", should_retry: false } },
    retried: false,
    outcome: "error",
    says: "server had an error|Internal server error",
  },
  {
    name: "400 with x-should-retry: true",
    fault: { marker: { fault: "400", should_retry: true, times: 1 } },
    retried: true,
    outcome: "error",
  },
];

/** A prompt carrying a unique tag (to find its requests at the proxy) and the case's fault, if a marker. */
function promptFor(fault: MatrixCase["fault"], tag: string): string {
  if ("status" in fault) proxy.inject({ tag, status: fault.status, message: fault.message });
  const marker = "marker" in fault ? simMarker(fault.marker) : "";
  return `${marker} ${tag}: what is the capital of France?`;
}

describe.each(protocols)("a job whose first call ($first, $name protocol) gets", ({ first, second }) => {
  it.concurrent.for(cases)("$name", async ({ fault, retried, outcome, says }, { expect, onTestFinished }) => {
    const run = startRouter(fastTierOf([first, second]), onTestFinished);
    const tag = `case-${randomUUID()}`;
    const job = await run(promptFor(fault, tag));

    const calls = proxy.seen(tag).map((request) => request.path);
    if (retried) {
      // Retried on the tier's next deployment, which answers.
      expect(job.status).toBe("succeeded");
      expect(job.attempts.map((a) => [a.outcome, a.model])).toEqual([
        [outcome, first],
        ["succeeded", second],
      ]);
      expect(calls).toEqual([pathOf(first), pathOf(second)]);
      return;
    }
    // Fatal: one attempt, one call, the provider's words and no secret.
    expect(job.status).toBe("failed");
    expect(job.attempts.map((a) => [a.outcome, a.model])).toEqual([["error", first]]);
    expect(calls).toEqual([pathOf(first)]);
    expect(job.error?.type).toBe("provider_error");
    expect(job.error?.message).toMatch(new RegExp(says ?? "", "i"));
    for (const text of [job.error?.message ?? "", job.attempts[0]?.detail ?? ""]) {
      expect(text).not.toContain(OPENAI_KEY);
      expect(text).not.toContain(ANTHROPIC_KEY);
    }
  });
});

// Delays of 1.5 s and more: a delayed BullMQ job wakes its worker through a Redis blocking-command
// timeout, which Redis checks `hz` (10) times a second, so a retry may start up to ~100 ms late.
describe.each(protocols)("a retryable error from the tier's only deployment ($first)", ({ first }) => {
  const gapMs = (job: PublicJob) =>
    Date.parse(job.attempts[1]?.started_at ?? "") - Date.parse(job.attempts[0]?.finished_at ?? "");

  it.concurrent.for([
    { header: "429 with retry-after: 2", marker: { fault: "429", retry_after: 2 }, delayMs: 2_000 },
    // retry-after-ms wins over a (deliberately different) retry-after: it is the precise one.
    {
      header: "429 with retry-after-ms: 1500",
      marker: { fault: "429", retry_after: 3, retry_after_ms: 1_500 },
      delayMs: 1_500,
    },
    // Not only 429s: an overloaded vendor says when to come back too.
    { header: "529 with retry-after: 2", marker: { fault: "529", retry_after: 2 }, delayMs: 2_000 },
  ] as const)(
    "$header: the retry starts after that delay (±10 %)",
    async ({ marker, delayMs }, { expect, onTestFinished }) => {
      const run = startRouter(fastTierOf([first]), onTestFinished);
      const tag = `delay-${randomUUID()}`;
      const job = await run(promptFor({ marker: { times: 1, ...marker } }, tag));

      expect(job.status).toBe("succeeded");
      expect(job.attempts.map((a) => [a.outcome, a.model])).toEqual([
        [marker.fault === "429" ? "rate_limited" : "error", first],
        ["succeeded", first],
      ]);
      expect(gapMs(job)).toBeGreaterThanOrEqual(delayMs * 0.9);
      expect(gapMs(job)).toBeLessThanOrEqual(delayMs * 1.1);
    },
  );
});
