import type { RouterConfig } from "@llmr/config";
import type { RunningSimulator } from "@llmr/simulator";
import { simMarker, startSimulator } from "@llmr/simulator";
import { redisFixture } from "@llmr/testing";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { routerTestConfig } from "./router-test-config.ts";
import { startTestRouter } from "./test-router.ts";

const redis = redisFixture();
let simulator: RunningSimulator;
beforeAll(async () => {
  simulator = await startSimulator({ port: 0, latencyScale: 0 });
});
afterAll(async () => {
  await simulator.close();
});

type Doc = Parameters<NonNullable<Parameters<typeof routerTestConfig>[0]["edit"]>>[0];

/** A router with the shared gates on (breakers and RPM/TPM budgets in Redis). */
function startRouter(edit: (doc: Doc) => void) {
  const config: RouterConfig = routerTestConfig({
    simulatorUrl: simulator.url,
    keyPrefix: redis.uniquePrefix(),
    edit,
  });
  const router = startTestRouter(redis.connect(), config, { gates: true });
  return {
    store: router.store,
    events: router.events,
    run: async (input: string) => {
      const { queued, finished } = await router.submit({ input });
      return { id: queued.id, finished };
    },
    /** Queues a batch-class job; resolves with its id once it is stored. */
    submitBatch: async (input: string) => (await router.submit({ input, class: "batch" })).queued.id,
    close: router.close,
  };
}

let router: ReturnType<typeof startRouter> | undefined;
afterEach(async () => {
  await router?.close();
  router = undefined;
});

const nanoCalls = () => simulator.stats().requests_by_model["gpt-5.4-nano"] ?? 0;
const fast = (doc: Doc) => doc.tiers[0] as { deployments: Array<Record<string, unknown>> };

describe("shared circuit breakers", () => {
  it("open after N failures: the deployment is then skipped without a call", async () => {
    router = startRouter((doc) => {
      doc.dispatch = { breaker: { failure_threshold: 2, failure_window_ms: 60_000, cool_down_ms: 60_000 } };
    });
    for (const n of [1, 2]) {
      const job = await (await router.run(`${simMarker({ fault: "500", times: 1 })} Breaker question ${n}`))
        .finished;
      expect(job.attempts.map((a) => a.model)).toEqual(["gpt-5.4-nano", "claude-haiku-4-5"]);
    }
    expect(router.events).toContainEqual({
      type: "breaker",
      deployment: "fast/gpt-5.4-nano",
      change: "opened",
    });
    const before = nanoCalls();
    const job = await (await router.run("A third question")).finished;
    expect(job.attempts.map((a) => `${a.model}:${a.outcome}`)).toEqual(["claude-haiku-4-5:succeeded"]);
    expect(nanoCalls()).toBe(before);
  });
  it("after the cool-down, one probe goes through: half-open, then closed on its success", async () => {
    const coolDownMs = 300;
    router = startRouter((doc) => {
      doc.dispatch = {
        breaker: { failure_threshold: 1, failure_window_ms: 60_000, cool_down_ms: coolDownMs },
      };
    });
    const failing = await (await router.run(`${simMarker({ fault: "500", times: 1 })} Probe question 1`))
      .finished;
    expect(failing.attempts.map((a) => a.model)).toEqual(["gpt-5.4-nano", "claude-haiku-4-5"]);
    // The cool-down itself is what is tested: wait it out.
    await new Promise((resolve) => setTimeout(resolve, coolDownMs + 50));
    const before = nanoCalls();
    const probe = await (await router.run("Probe question 2")).finished;
    expect(probe.attempts.map((a) => `${a.model}:${a.outcome}`)).toEqual(["gpt-5.4-nano:succeeded"]);
    expect(nanoCalls()).toBe(before + 1);
    const changes = router.events
      .filter((event) => event.type === "breaker" && event.deployment === "fast/gpt-5.4-nano")
      .map((event) => (event.type === "breaker" ? event.change : ""));
    expect(changes).toEqual(["opened", "half_opened", "closed"]);
  });
});

describe("shared RPM budgets", () => {
  it("never send a deployment more calls than its RPM: the rest go to the tier's next deployment", async () => {
    router = startRouter((doc) => {
      const deployments = fast(doc).deployments;
      if (deployments[0]) deployments[0].rpm = 2;
    });
    const models: string[] = [];
    for (let i = 0; i < 4; i++)
      models.push((await (await router.run(`Budget question ${i}`)).finished).attempts[0]?.model ?? "");
    expect(models).toEqual(["gpt-5.4-nano", "gpt-5.4-nano", "claude-haiku-4-5", "claude-haiku-4-5"]);
  });

  it("make a job wait, not fail, when every deployment of its tier is out of budget", async () => {
    router = startRouter((doc) => {
      for (const deployment of fast(doc).deployments) deployment.rpm = 1;
    });
    await (await router.run("First")).finished;
    await (await router.run("Second")).finished;
    const third = await router.run("Third");
    await expect
      .poll(() => router?.events.some((event) => event.type === "waiting" && event.jobId === third.id))
      .toBe(true);
    const stored = await router.store.get(third.id);
    expect(stored?.record.job.status).toBe("queued");
    expect(stored?.record.job.attempts).toEqual([]);
    // The queue is paused for the rest of the minute, yet the workers stop within seconds (a drain
    // must not wait out a rate-limit pause).
    const closingAt = Date.now();
    await router.close();
    router = undefined;
    expect(Date.now() - closingAt).toBeLessThan(8_000);
  });

  it("keep within a TPM limit counted the vendors' way (the whole requested output budget): no 429", async () => {
    const strict = await startSimulator({
      port: 0,
      latencyScale: 0,
      models: { "gpt-5.4-nano": { tpm: 1_000 } },
    });
    try {
      router = startRouter((doc) => {
        doc.simulator = { base_url: strict.url };
        const fastTier = fast(doc);
        fastTier.deployments = [{ model: "gpt-5.4-nano", tpm: 1_000 }];
        const tasks = doc.tasks as Record<string, { escalation?: unknown; max_output_tokens?: number }>;
        if (tasks.chat)
          tasks.chat = { ...tasks.chat, max_output_tokens: 150, escalation: { min_confidence: 0 } };
      });
      // One job after another, so that budget handed back after a call could be used at once.
      let admitted = 0;
      for (let i = 0; i < 12; i++) {
        const current = router;
        if (!current) throw new Error("router not started");
        const { id, finished } = await current.run(`TPM question ${i}`);
        // Resolves when the job is told to wait; never rejects (it stops looking once the job finished).
        const waiting = new Promise<"waiting">((resolve) => {
          const timer = setInterval(() => {
            if (router?.events.some((event) => event.type === "waiting" && event.jobId === id)) {
              clearInterval(timer);
              resolve("waiting");
            }
          }, 20);
          void finished.finally(() => clearInterval(timer));
        });
        if ((await Promise.race([finished.then(() => "finished" as const), waiting])) === "waiting") break;
        admitted++;
      }
      // 1,000 TPM at ~160 tokens a call (input + the 150-token output budget): six calls, then a wait.
      expect(admitted).toBeLessThanOrEqual(6);
      expect(strict.stats().requests_by_outcome.rate_limited ?? 0).toBe(0);
    } finally {
      await router?.close();
      router = undefined;
      await strict.close();
    }
  });
});

describe("interactive work isolated from a batch backlog", () => {
  it("starts an interactive job at once while batch jobs hold every batch slot and more wait", async () => {
    router = startRouter((doc) => {
      (doc.tiers[0] as Record<string, unknown>).concurrency = { interactive: 2, batch: 2 };
    });
    // Ten slow batch calls on two batch slots: a backlog that takes seconds to drain.
    const batch = router;
    const backlog = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        batch.submitBatch(`${simMarker({ latency_ms: 1_000 })} Batch question ${i}`),
      ),
    );
    const submittedAt = Date.now();
    const interactive = await (await router.run("An interactive question")).finished;
    const startedAfterMs = Date.parse(interactive.started_at ?? "") - submittedAt;
    // Its own slots and its reserved budget: it neither queues behind the backlog nor waits a call.
    expect(interactive.status).toBe("succeeded");
    expect(startedAfterMs).toBeLessThan(500);
    const stillWaiting = await Promise.all(
      backlog.map(async (id) => (await batch.store.get(id))?.record.job.status),
    );
    expect(stillWaiting.filter((status) => status === "queued").length).toBeGreaterThanOrEqual(6);
  });
});
