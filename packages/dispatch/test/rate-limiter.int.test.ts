import { setTimeout as sleep } from "node:timers/promises";
import { redisFixture } from "@llmr/testing";
import { describe, expect, it, vi } from "vitest";
import type { AcquireRequest, AcquireResult } from "../src/index.ts";
import { RateLimiter } from "../src/index.ts";

const redis = redisFixture();
const DEPLOYMENT = "fast/gpt-5.4-nano";

/** The Redis-clock time a permit was admitted at (its id starts with it). */
function admittedAtMs(result: AcquireResult): number {
  if (!result.admitted) throw new Error(`not admitted: ${result.reason}`);
  return Number(result.permitId.split("-")[0]);
}

function limiter(options: ConstructorParameters<typeof RateLimiter>[1] = {}): RateLimiter {
  return new RateLimiter(redis.connect(), { prefix: redis.uniquePrefix(), ...options });
}

async function acquireMany(target: RateLimiter, request: AcquireRequest, count: number) {
  const results: AcquireResult[] = [];
  for (let i = 0; i < count; i++) results.push(await target.acquire(request));
  return results;
}

describe("RateLimiter budgets", () => {
  it("admits exactly RPM requests in a window, then says when the next one fits", async () => {
    const limits = limiter({ windowMs: 400 });
    const request = { deployment: DEPLOYMENT, estimatedTokens: 10, rpm: 3, klass: "interactive" } as const;
    const results = await acquireMany(limits, request, 5);
    expect(results.map((result) => result.admitted)).toEqual([true, true, true, false, false]);
    const refused = results[3];
    if (refused?.admitted !== false || refused.reason === "too_large") throw new Error("expected a refusal");
    expect(refused.reason).toBe("rpm");
    expect(refused.retryAfterMs).toBeGreaterThan(0);
    expect(refused.retryAfterMs).toBeLessThanOrEqual(400);

    // Well before the wait it gave, still refused; right after it, admitted.
    if (refused.retryAfterMs > 150) {
      await sleep(refused.retryAfterMs - 100);
      expect((await limits.acquire(request)).admitted).toBe(false);
      const again = await limits.acquire(request);
      if (again.admitted || again.retryAfterMs === null) throw new Error("expected a timed refusal");
      await sleep(again.retryAfterMs + 2);
    } else {
      await sleep(refused.retryAfterMs + 2);
    }
    expect((await limits.acquire(request)).admitted).toBe(true);
  });

  it("never goes over RPM or TPM in any window while workers hammer it (sliding, not fixed)", async () => {
    const windowMs = 400;
    const rpm = 8;
    const tpm = 1_000;
    const runMs = 1_300;
    const admitted: { atMs: number; tokens: number }[] = [];
    // Three "processes" (connections) sharing one limiter state.
    const prefix = redis.uniquePrefix();
    const workers = Array.from({ length: 3 }, () => new RateLimiter(redis.connect(), { prefix, windowMs }));
    const deadline = Date.now() + runMs;
    await Promise.all(
      workers.map(async (limits, index) => {
        let call = 0;
        while (Date.now() < deadline) {
          // Deterministic, varied estimates: 60..240 tokens.
          const tokens = 60 + ((index * 7 + call++ * 13) % 10) * 20;
          const result = await limits.acquire({
            deployment: DEPLOYMENT,
            estimatedTokens: tokens,
            rpm,
            tpm,
            klass: "batch",
          });
          if (result.admitted) admitted.push({ atMs: admittedAtMs(result), tokens });
          else await sleep(Math.min(result.retryAfterMs ?? 50, 50));
        }
      }),
    );
    admitted.sort((a, b) => a.atMs - b.atMs);
    for (const first of admitted) {
      const inWindow = admitted.filter(
        (other) => other.atMs >= first.atMs && other.atMs < first.atMs + windowMs,
      );
      expect(inWindow.length).toBeLessThanOrEqual(rpm);
      expect(inWindow.reduce((sum, other) => sum + other.tokens, 0)).toBeLessThanOrEqual(tpm);
    }
    // Not needlessly strict either: over ~3 windows, most of the budget went out.
    expect(admitted.length).toBeGreaterThanOrEqual(12);
  });

  it("counts token estimates against TPM and frees budget when settle reports fewer", async () => {
    const limits = limiter();
    const request = {
      deployment: DEPLOYMENT,
      estimatedTokens: 300,
      tpm: 1_000,
      klass: "interactive",
    } as const;
    const [first, second, third, fourth] = await acquireMany(limits, request, 4);
    expect([first, second, third].every((result) => result?.admitted)).toBe(true);
    expect(fourth).toMatchObject({ admitted: false, reason: "tpm" });
    if (!first?.admitted) throw new Error("unreachable");

    expect(await limits.settle({ deployment: DEPLOYMENT, permitId: first.permitId, actualTokens: 100 })).toBe(
      true,
    );
    expect((await limits.acquire(request)).admitted).toBe(true); // 100 + 300 + 300 + 300 = 1000
    expect(await limits.usage(DEPLOYMENT)).toMatchObject({
      requests: { interactive: 4, batch: 0 },
      tokens: { interactive: 1_000, batch: 0 },
    });
    expect((await limits.acquire({ ...request, estimatedTokens: 1 })).admitted).toBe(false);

    // A call that used more than estimated takes budget too; settling again is idempotent.
    await limits.settle({ deployment: DEPLOYMENT, permitId: first.permitId, actualTokens: 250 });
    await limits.settle({ deployment: DEPLOYMENT, permitId: first.permitId, actualTokens: 250 });
    expect((await limits.usage(DEPLOYMENT)).tokens.interactive).toBe(1_150);
    expect(await limits.settle({ deployment: DEPLOYMENT, permitId: "1-1-i", actualTokens: 5 })).toBe(false);
  });

  it("refuses for good a call larger than the whole TPM budget", async () => {
    const result = await limiter().acquire({
      deployment: DEPLOYMENT,
      estimatedTokens: 101,
      tpm: 100,
      klass: "interactive",
    });
    expect(result).toEqual({ admitted: false, reason: "too_large", retryAfterMs: null });
  });

  it("never over-admits when 5 processes acquire 50 permits each at once", async () => {
    const prefix = redis.uniquePrefix();
    const processes = Array.from({ length: 5 }, () => new RateLimiter(redis.connect(), { prefix }));
    const burst = (request: Omit<AcquireRequest, "deployment">, deployment: string) =>
      Promise.all(
        processes.flatMap((limits) =>
          Array.from({ length: 50 }, () => limits.acquire({ deployment, ...request })),
        ),
      );
    const byRequests = await burst({ estimatedTokens: 50, rpm: 100, tpm: 10_000, klass: "interactive" }, "a");
    expect(byRequests.filter((result) => result.admitted)).toHaveLength(100);
    const byTokens = await burst({ estimatedTokens: 73, rpm: 1_000, tpm: 5_000, klass: "batch" }, "b");
    expect(byTokens.filter((result) => result.admitted)).toHaveLength(Math.floor(5_000 / 73));
    expect(byTokens.filter((result) => !result.admitted && result.reason === "tpm")).toHaveLength(250 - 68);
  });
});

describe("RateLimiter cool-down", () => {
  it("blocks every admission until a 429's retry-after has passed, and is never shortened", async () => {
    const limits = limiter();
    const request = { deployment: DEPLOYMENT, estimatedTokens: 10, rpm: 100, klass: "interactive" } as const;
    expect(await limits.coolingDown(DEPLOYMENT)).toBe(0);
    expect(await limits.coolDown({ deployment: DEPLOYMENT, ms: 300 })).toBe(300);
    expect(await limits.coolDown({ deployment: DEPLOYMENT, ms: 50 })).toBeGreaterThan(100);

    const refused = await limits.acquire(request);
    expect(refused).toMatchObject({ admitted: false, reason: "cooling_down" });
    const left = await limits.coolingDown(DEPLOYMENT);
    expect(left).toBeGreaterThan(100);
    expect(left).toBeLessThanOrEqual(300);
    if (refused.admitted || refused.retryAfterMs === null) throw new Error("unreachable");
    expect(refused.retryAfterMs).toBeLessThanOrEqual(300);

    await sleep(left + 2);
    expect(await limits.coolingDown(DEPLOYMENT)).toBe(0);
    expect((await limits.acquire(request)).admitted).toBe(true);
  });
});

describe("RateLimiter clock and keys", () => {
  it("times admissions by the Redis clock, not a skewed caller's", async () => {
    const limits = limiter();
    const realNowMs = performance.timeOrigin + performance.now();
    vi.useFakeTimers({ toFake: ["Date"] });
    try {
      vi.setSystemTime(new Date("2001-01-01T00:00:00Z"));
      const result = await limits.acquire({
        deployment: DEPLOYMENT,
        estimatedTokens: 1,
        rpm: 5,
        klass: "batch",
      });
      expect(Math.abs(admittedAtMs(result) - realNowMs)).toBeLessThan(5_000);
    } finally {
      vi.useRealTimers();
    }
  });

  it("keeps all of a deployment's keys under one hash tag (one Redis Cluster slot)", async () => {
    const prefix = redis.uniquePrefix();
    const client = redis.connect();
    const limits = new RateLimiter(client, { prefix });
    await limits.acquire({ deployment: DEPLOYMENT, estimatedTokens: 5, rpm: 5, klass: "interactive" });
    await limits.coolDown({ deployment: DEPLOYMENT, ms: 10_000 });
    const keys = await client.keys(`${prefix}:*`);
    expect(keys.sort()).toEqual(
      ["cooldown", "log", "permits", "state"].map((name) => `${prefix}:{limiter:${DEPLOYMENT}}:${name}`),
    );
  });
});
