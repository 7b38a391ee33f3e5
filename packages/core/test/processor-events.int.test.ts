import type { RouterConfig } from "@llmr/config";
import type { RunningSimulator } from "@llmr/simulator";
import { simMarker, startSimulator } from "@llmr/simulator";
import { redisFixture } from "@llmr/testing";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { ProcessorEvent } from "../src/process-job.ts";
import { routerTestConfig } from "./router-test-config.ts";
import { startTestRouter } from "./test-router.ts";

/**
 * The processor's events are what the worker counts (metrics): each write to a job's record is
 * reported once, so the counts add up to the job objects.
 */
const redis = redisFixture();
let simulator: RunningSimulator;
beforeAll(async () => {
  simulator = await startSimulator({ port: 0, latencyScale: 0 });
});
afterAll(async () => {
  await simulator.close();
});

function startRouter(edit?: Parameters<typeof routerTestConfig>[0]["edit"]) {
  const config: RouterConfig = routerTestConfig({
    simulatorUrl: simulator.url,
    keyPrefix: redis.uniquePrefix(),
    ...(edit ? { edit } : {}),
  });
  return startTestRouter(redis.connect(), config);
}
let router: ReturnType<typeof startRouter> | undefined;
afterEach(async () => {
  await router?.close();
  router = undefined;
});

function eventsOf<T extends ProcessorEvent["type"]>(type: T, jobId: string) {
  return (router?.events ?? []).filter(
    (event): event is Extract<ProcessorEvent, { type: T }> =>
      event.type === type && "jobId" in event && event.jobId === jobId,
  );
}

describe("processor events", () => {
  it("report each recorded attempt, the escalation with its cause, and the final status once", async () => {
    router = startRouter();
    const { queued, finished } = await router.submit({
      input: `${simMarker({ fault: "truncate", times: 1 })} Explain tides briefly.`,
    });
    const job = await finished;
    expect(job.attempts.map((a) => `${a.tier}:${a.outcome}`)).toEqual([
      "fast:quality_failed",
      "capable:succeeded",
    ]);

    const attempts = eventsOf("attempt", queued.id);
    expect(attempts.every((event) => event.recorded && !event.interrupted)).toBe(true);
    expect(attempts.map((event) => event.attempt)).toEqual(job.attempts);
    expect(attempts.map((event) => [event.jobClass, event.task, event.tenant])).toEqual([
      ["interactive", "chat", "tenant-a"],
      ["interactive", "chat", "tenant-a"],
    ]);
    expect(attempts.every((event) => event.firstByteMs !== null && event.firstByteMs >= 0)).toBe(true);

    const escalations = eventsOf("escalated", queued.id);
    expect(escalations.map((event) => [event.from, event.to, event.cause])).toEqual([
      ["fast", "capable", "quality_failed"],
    ]);
    const finishes = eventsOf("finished", queued.id);
    expect(finishes.map((event) => [event.job.status, event.transitioned])).toEqual([["succeeded", true]]);
    // Each hop's first try reports how long it waited in its queue.
    const waits = eventsOf("started", queued.id).map((event) => event.queueWaitMs);
    expect(waits).toHaveLength(2);
    expect(waits.every((ms) => ms !== null && ms >= 0)).toBe(true);
  });

  it("report both calls of a hedge as attempts, the aborted one without a first byte", async () => {
    router = startRouter((doc) => {
      const fast = doc.tiers[0] as Record<string, unknown>;
      fast.hedge = true;
      fast.time_limits = { interactive: { soft_ms: 200, hard_ms: 10_000 } };
    });
    const { queued, finished } = await router.submit({
      input: `${simMarker({ fault: "hang", times: 1 })} Say hi`,
    });
    const job = await finished;
    const attempts = eventsOf("attempt", queued.id);
    expect(attempts.map((event) => event.attempt)).toEqual(job.attempts);
    expect(attempts.map((event) => [event.attempt.outcome, event.firstByteMs === null])).toEqual([
      ["cancelled", true],
      ["succeeded", false],
    ]);
  });
});
