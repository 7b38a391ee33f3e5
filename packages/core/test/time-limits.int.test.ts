import type { RunningSimulator } from "@llmr/simulator";
import { simMarker, startSimulator } from "@llmr/simulator";
import { redisFixture } from "@llmr/testing";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { Attempt, PublicJob } from "../src/job-record.ts";
import { JobRequestSchema } from "../src/job-request.ts";
import { JobStore } from "../src/job-store.ts";
import { ProviderPool } from "../src/provider-pool.ts";
import { RedisKeys } from "../src/redis-keys.ts";
import { createDispatchGates } from "../src/select-deployment.ts";
import { submitJob } from "../src/submit-job.ts";
import { TierQueues } from "../src/tier-queues.ts";
import { closeTierWorkers, startTierWorkers } from "../src/tier-workers.ts";
import { routerTestConfig } from "./router-test-config.ts";

/** The fast tier's limits for interactive calls in this file. */
const SOFT_MS = 300;
const HARD_MS = 1_000;

const redis = redisFixture();
let simulator: RunningSimulator;
beforeAll(async () => {
  simulator = await startSimulator({ port: 0, latencyScale: 0 });
});
afterAll(async () => {
  await simulator?.close();
});

/** When each `slow` event reached the app (wall clock), by job id. */
type SlowSeen = Map<string, number[]>;

/** The router as the worker app runs it (shared gates on), the fast tier limited to SOFT_MS / HARD_MS. */
function startRouter() {
  const config = routerTestConfig({
    simulatorUrl: simulator.url,
    keyPrefix: redis.uniquePrefix(),
    edit: (doc) => {
      // The fallback under test is the tier's next deployment, not the next tier; and any answer
      // is good enough (the answer's confidence is not under test).
      doc.jobs = { fallback_to_next_tier: false };
      const chat = (doc.tasks as Record<string, { escalation?: Record<string, unknown> }>).chat;
      if (chat) chat.escalation = { ...chat.escalation, min_confidence: 0 };
      const fast = doc.tiers[0] as Record<string, unknown>;
      fast.time_limits = { interactive: { soft_ms: SOFT_MS, hard_ms: HARD_MS } };
    },
  });
  const connection = redis.connect();
  const store = new JobStore(connection, new RedisKeys(config.redis.keyPrefix), { retentionSeconds: 60 });
  const queues = new TierQueues(connection, config);
  const waiters = new Map<string, (job: PublicJob) => void>();
  const slowSeen: SlowSeen = new Map();
  const workers = startTierWorkers(
    connection,
    {
      config,
      store,
      queues,
      gates: createDispatchGates(connection, config),
      providers: new ProviderPool(config),
      onEvent: (event) => {
        if (event.type === "slow")
          slowSeen.set(event.jobId, [...(slowSeen.get(event.jobId) ?? []), Date.now()]);
        if (event.type === "finished") waiters.get(event.jobId)?.(event.job);
      },
    },
    { tiers: ["fast"], classes: ["interactive"] },
  );
  return {
    slowSeen,
    run: async (body: Record<string, unknown>) => {
      const record = await submitJob({ config, store, queues }, "tenant-a", JobRequestSchema.parse(body));
      return new Promise<PublicJob>((resolve) => waiters.set(record.job.id, resolve));
    },
    close: async () => {
      await closeTierWorkers(workers);
      await queues.close();
    },
  };
}

let router: ReturnType<typeof startRouter> | undefined;
afterEach(async () => {
  await router?.close();
  router = undefined;
});

const durationMs = (attempt: Attempt | undefined) =>
  Date.parse(attempt?.finished_at ?? "") - Date.parse(attempt?.started_at ?? "");

/** `actual` is within ±10 % of `expected`. */
function expectWithin10Percent(actual: number, expected: number) {
  expect(actual).toBeGreaterThanOrEqual(expected * 0.9);
  expect(actual).toBeLessThanOrEqual(expected * 1.1);
}

describe("a deployment that never answers", () => {
  it("is aborted at the hard limit (the socket closes), the job finishes on the fallback, and `slow` came at the soft limit", async () => {
    router = startRouter();
    const before = simulator.stats();
    // Only the first call with this content hangs: the fallback deployment gets the same prompt and answers.
    const job = await router.run({ input: `${simMarker({ fault: "hang", times: 1 })} Name a colour.` });

    expect(job.status).toBe("succeeded");
    expect(job.attempts.map((a) => [a.outcome, a.model])).toEqual([
      ["timeout", "gpt-5.4-nano"],
      ["succeeded", "claude-haiku-4-5"],
    ]);
    const [hung] = job.attempts;
    expect(hung?.detail).toBe(`no answer from fast/gpt-5.4-nano within the hard limit of ${HARD_MS} ms`);
    expectWithin10Percent(durationMs(hung), HARD_MS);

    // Exactly one `slow`: the hung call's; the fallback answered at once.
    const slow = router.slowSeen.get(job.id) ?? [];
    expect(slow).toHaveLength(1);
    expectWithin10Percent((slow[0] ?? 0) - Date.parse(hung?.started_at ?? ""), SOFT_MS);

    // The simulator saw the client hang up: the call was aborted on the wire, not abandoned.
    await expect.poll(() => simulator.stats().aborted_by_client).toBe(before.aborted_by_client + 1);
    expect(simulator.stats().in_flight).toBe(0);
  });

  it("is aborted at the job's own, narrower limits (timeouts.soft_ms / hard_ms)", async () => {
    router = startRouter();
    const before = simulator.stats();
    const job = await router.run({
      input: `${simMarker({ fault: "hang", times: 1 })} Name a fruit.`,
      timeouts: { soft_ms: 200, hard_ms: 600 },
    });

    expect(job.attempts.map((a) => [a.outcome, a.model])).toEqual([
      ["timeout", "gpt-5.4-nano"],
      ["succeeded", "claude-haiku-4-5"],
    ]);
    const [hung] = job.attempts;
    expectWithin10Percent(durationMs(hung), 600);
    const slow = router.slowSeen.get(job.id) ?? [];
    expect(slow).toHaveLength(1);
    expectWithin10Percent((slow[0] ?? 0) - Date.parse(hung?.started_at ?? ""), 200);
    await expect.poll(() => simulator.stats().aborted_by_client).toBe(before.aborted_by_client + 1);
  });

  it("is left alone below the hard limit: a slow answer is reported `slow` and still accepted", async () => {
    router = startRouter();
    const job = await router.run({ input: `${simMarker({ latency_ms: 600 })} Name a tree.` });

    expect(job.attempts.map((a) => [a.outcome, a.model])).toEqual([["succeeded", "gpt-5.4-nano"]]);
    const slow = router.slowSeen.get(job.id) ?? [];
    expect(slow).toHaveLength(1);
    expectWithin10Percent((slow[0] ?? 0) - Date.parse(job.attempts[0]?.started_at ?? ""), SOFT_MS);
  });
});
