import { setTimeout as sleep } from "node:timers/promises";
import { redisFixture } from "@llmr/testing";
import { describe, expect, it } from "vitest";
import type { BeforeCallResult, CircuitBreakerOptions } from "../src/index.ts";
import { CircuitBreaker } from "../src/index.ts";

const redis = redisFixture();
const DEPLOYMENT = "capable/gpt-5.4";
const OPTIONS = {
  failureThreshold: 3,
  failureWindowMs: 1_000,
  coolDownMs: 200,
  coolDownGrowth: 2,
  maxCoolDownMs: 1_000,
  probeLeaseMs: 300,
  halfOpenRetryMs: 50,
} satisfies CircuitBreakerOptions;

function breaker(options: CircuitBreakerOptions = {}): CircuitBreaker {
  return new CircuitBreaker(redis.connect(), { prefix: redis.uniquePrefix(), ...OPTIONS, ...options });
}

async function fail(target: CircuitBreaker, times: number) {
  const changes = [];
  for (let i = 0; i < times; i++) changes.push((await target.recordFailure(DEPLOYMENT)).changed);
  return changes;
}

function refusal(result: BeforeCallResult) {
  if (result.allowed) throw new Error("expected the call to be refused");
  return result;
}

/** Opens the breaker and waits out its cool-down (the wait it reports). */
async function openAndCoolDown(target: CircuitBreaker) {
  await fail(target, 3);
  await sleep(refusal(await target.beforeCall(DEPLOYMENT)).retryInMs + 2);
}

describe("CircuitBreaker", () => {
  it("opens after N failures within the window and then fails fast", async () => {
    const breakers = breaker();
    expect(await breakers.beforeCall(DEPLOYMENT)).toEqual({ allowed: true, probe: false, changed: null });
    expect(await fail(breakers, 3)).toEqual([null, null, "opened"]);
    const refused = refusal(await breakers.beforeCall(DEPLOYMENT));
    expect(refused.state).toBe("open");
    expect(refused.retryInMs).toBeGreaterThan(50);
    expect(refused.retryInMs).toBeLessThanOrEqual(200);
    const state = await breakers.state(DEPLOYMENT);
    expect(state).toMatchObject({ state: "open", failures: 3 });
    expect(Date.parse(state.next_probe_at ?? "") - Date.parse(state.opened_at ?? "")).toBe(200);
  });

  it("does not open on N failures spread wider than the window", async () => {
    const breakers = breaker({ failureWindowMs: 150 });
    // Three failures ~100 ms apart: any two fit in the window, all three never do. The spacing
    // itself is what is under test, hence the sleeps.
    expect(await fail(breakers, 1)).toEqual([null]);
    await sleep(100);
    expect(await fail(breakers, 1)).toEqual([null]);
    await sleep(100);
    expect(await fail(breakers, 1)).toEqual([null]);
    expect((await breakers.state(DEPLOYMENT)).state).toBe("closed");
  });

  it("lets exactly one of many concurrent callers probe after the cool-down", async () => {
    const prefix = redis.uniquePrefix();
    const processes = Array.from(
      { length: 5 },
      () => new CircuitBreaker(redis.connect(), { prefix, ...OPTIONS }),
    );
    const [first] = processes;
    if (!first) throw new Error("unreachable");
    await openAndCoolDown(first);
    const answers = await Promise.all(
      processes.flatMap((breakers) => Array.from({ length: 20 }, () => breakers.beforeCall(DEPLOYMENT))),
    );
    const allowed = answers.filter((answer) => answer.allowed);
    expect(allowed).toEqual([{ allowed: true, probe: true, changed: "half_opened" }]);
    for (const answer of answers.filter((candidate) => !candidate.allowed)) {
      expect(answer).toMatchObject({ allowed: false, state: "half_open" });
      expect(refusal(answer).retryInMs).toBeLessThanOrEqual(OPTIONS.halfOpenRetryMs);
    }
    expect((await first.state(DEPLOYMENT)).state).toBe("half_open");
  });

  it("closes when the probe succeeds", async () => {
    const breakers = breaker();
    await openAndCoolDown(breakers);
    expect(await breakers.beforeCall(DEPLOYMENT)).toMatchObject({ allowed: true, probe: true });
    expect(await breakers.recordSuccess(DEPLOYMENT)).toEqual({ changed: "closed" });
    expect(await breakers.beforeCall(DEPLOYMENT)).toEqual({ allowed: true, probe: false, changed: null });
    expect(await breakers.state(DEPLOYMENT)).toEqual({ state: "closed", failures: 0 });
    // Closed and forgotten: it takes N new failures to open again.
    expect(await fail(breakers, 3)).toEqual([null, null, "opened"]);
  });

  it("re-opens with a longer cool-down when the probe fails", async () => {
    const breakers = breaker();
    await openAndCoolDown(breakers);
    expect((await breakers.beforeCall(DEPLOYMENT)).allowed).toBe(true);
    expect(await breakers.recordFailure(DEPLOYMENT)).toEqual({ changed: "opened", coolDownMs: 400 });
    const refused = refusal(await breakers.beforeCall(DEPLOYMENT));
    expect(refused).toMatchObject({ state: "open" });
    expect(refused.retryInMs).toBeGreaterThan(200);
    expect(refused.retryInMs).toBeLessThanOrEqual(400);
  });

  it("hands out a new probe when the last one was never reported (its worker died)", async () => {
    const breakers = breaker();
    await openAndCoolDown(breakers);
    expect(await breakers.beforeCall(DEPLOYMENT)).toMatchObject({ allowed: true, probe: true });
    const waiting = refusal(await breakers.beforeCall(DEPLOYMENT));
    expect(waiting.state).toBe("half_open");
    await sleep(OPTIONS.probeLeaseMs + 2);
    expect(await breakers.beforeCall(DEPLOYMENT)).toEqual({ allowed: true, probe: true, changed: null });
  });

  it("lets the next caller probe at once when the probe is handed back unused", async () => {
    const breakers = breaker({ probeLeaseMs: 60_000 });
    await openAndCoolDown(breakers);
    expect(await breakers.beforeCall(DEPLOYMENT)).toMatchObject({ allowed: true, probe: true });
    expect((await breakers.beforeCall(DEPLOYMENT)).allowed).toBe(false);
    expect(await breakers.releaseProbe(DEPLOYMENT)).toBe(true);
    expect(await breakers.beforeCall(DEPLOYMENT)).toEqual({ allowed: true, probe: true, changed: null });
    expect(await breakers.releaseProbe("closed-one")).toBe(false);
  });

  it("ignores the late outcome of calls that started before it opened", async () => {
    const breakers = breaker();
    await fail(breakers, 3);
    expect(await breakers.recordSuccess(DEPLOYMENT)).toEqual({ changed: null });
    expect(await breakers.recordFailure(DEPLOYMENT)).toEqual({ changed: null });
    expect((await breakers.state(DEPLOYMENT)).state).toBe("open");
  });

  it("shows every deployment's breaker for an admin view", async () => {
    const breakers = breaker();
    await fail(breakers, 3);
    await breakers.recordFailure("other");
    const states = await breakers.states([DEPLOYMENT, "other", "unused"]);
    expect(states.map(({ deployment, state, failures }) => ({ deployment, state, failures }))).toEqual([
      { deployment: DEPLOYMENT, state: "open", failures: 3 },
      { deployment: "other", state: "closed", failures: 1 },
      { deployment: "unused", state: "closed", failures: 0 },
    ]);
  });
});
