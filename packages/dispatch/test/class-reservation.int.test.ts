import { setTimeout as sleep } from "node:timers/promises";
import { redisFixture } from "@llmr/testing";
import { describe, expect, it } from "vitest";
import type { AcquireRequest, AcquireResult } from "../src/index.ts";
import { RateLimiter } from "../src/index.ts";

const redis = redisFixture();
const DEPLOYMENT = "standard/claude-sonnet";
const IDLE_MS = 300;

// 10 RPM with 30 % (3 requests) reserved for interactive work.
const interactive = {
  deployment: DEPLOYMENT,
  estimatedTokens: 10,
  rpm: 10,
  reservedShare: 0.3,
  klass: "interactive",
} as const;
const batch = { ...interactive, klass: "batch" } as const;

function limiter(): RateLimiter {
  return new RateLimiter(redis.connect(), { prefix: redis.uniquePrefix(), interactiveIdleMs: IDLE_MS });
}

async function admittedCount(target: RateLimiter, request: AcquireRequest, count: number): Promise<number> {
  let admitted = 0;
  for (let i = 0; i < count; i++) if ((await target.acquire(request)).admitted) admitted++;
  return admitted;
}

function timedRefusal(result: AcquireResult | undefined) {
  if (!result || result.admitted || result.retryAfterMs === null) throw new Error("expected a timed refusal");
  return result;
}

describe("RateLimiter class reservation", () => {
  it("keeps batch work out of the interactive reserve while interactive work is active", async () => {
    const limits = limiter();
    expect((await limits.acquire(interactive)).admitted).toBe(true);
    // 1 interactive + b batch + the 2 reserved requests interactive is not using must fit in 10.
    expect(await admittedCount(limits, batch, 7)).toBe(7);
    const refused = timedRefusal(await limits.acquire(batch));
    expect(refused.reason).toBe("interactive_reserve");
    // It would fit as soon as interactive work goes idle.
    expect(refused.retryAfterMs).toBeLessThanOrEqual(IDLE_MS);

    // The reserve is intact: interactive work gets its 2 remaining requests, then the budget is spent.
    expect(await admittedCount(limits, interactive, 2)).toBe(2);
    expect(await limits.acquire(interactive)).toMatchObject({ admitted: false, reason: "rpm" });
  });

  it("lets batch work borrow the whole budget while interactive work is idle", async () => {
    const limits = limiter();
    expect(await admittedCount(limits, batch, 10)).toBe(10);
    expect(await limits.acquire(batch)).toMatchObject({ admitted: false, reason: "rpm" });
  });

  it("lends the reserve to batch work once interactive work has been idle for interactiveIdleMs", async () => {
    const limits = limiter();
    await limits.acquire(interactive);
    expect(await admittedCount(limits, batch, 8)).toBe(7);
    const refused = timedRefusal(await limits.acquire(batch));
    expect((await limits.usage(DEPLOYMENT)).interactiveActive).toBe(true);

    await sleep(refused.retryAfterMs + 2);
    expect((await limits.usage(DEPLOYMENT)).interactiveActive).toBe(false);
    expect(await admittedCount(limits, batch, 3)).toBe(2);
    // Interactive work coming back must wait for borrowed permits to age out (documented).
    expect(await limits.acquire(interactive)).toMatchObject({ admitted: false, reason: "rpm" });
    expect(await limits.acquire(batch)).toMatchObject({ admitted: false });
  });

  it("holds the reserve under concurrent batch pressure from several processes", async () => {
    const prefix = redis.uniquePrefix();
    const processes = Array.from(
      { length: 5 },
      () => new RateLimiter(redis.connect(), { prefix, interactiveIdleMs: 5_000 }),
    );
    const [first] = processes;
    expect((await first?.acquire(interactive))?.admitted).toBe(true);
    const results = await Promise.all([
      ...processes.flatMap((limits) => Array.from({ length: 50 }, () => limits.acquire(batch))),
      ...processes.slice(0, 2).map((limits) => limits.acquire(interactive)),
    ]);
    const batchAdmitted = results.slice(0, 250).filter((result) => result.admitted);
    const interactiveAdmitted = results.slice(250).filter((result) => result.admitted);
    expect(batchAdmitted).toHaveLength(7);
    expect(interactiveAdmitted).toHaveLength(2);
  });

  it("reserves a share of the token budget too", async () => {
    const limits = limiter();
    const tokens = { deployment: "t", estimatedTokens: 100, tpm: 1_000, reservedShare: 0.3 } as const;
    expect((await limits.acquire({ ...tokens, klass: "interactive" })).admitted).toBe(true);
    // 100 interactive + b×100 batch + 200 unused reserve ≤ 1000 → 7 batch calls.
    expect(await admittedCount(limits, { ...tokens, klass: "batch" }, 8)).toBe(7);
    expect(await admittedCount(limits, { ...tokens, klass: "interactive" }, 3)).toBe(2);
  });
});
