import { describe, expect, it } from "vitest";
import { SlidingWindowRateLimiter } from "./rate-limiter.ts";

function limiterAt(start = 1_000_000) {
  const clock = { nowMs: start };
  const limiter = new SlidingWindowRateLimiter({ windowMs: 60_000, now: () => clock.nowMs });
  return { clock, limiter };
}

describe("SlidingWindowRateLimiter", () => {
  it("admits everything when no limit is set", () => {
    const { limiter } = limiterAt();
    for (let index = 0; index < 100; index++) expect(limiter.admit("m", 10, {}).admitted).toBe(true);
  });

  it("enforces rpm over a sliding window and says when a slot frees up", () => {
    const { clock, limiter } = limiterAt();
    expect(limiter.admit("m", 1, { rpm: 2 }).admitted).toBe(true);
    clock.nowMs += 10_000;
    expect(limiter.admit("m", 1, { rpm: 2 }).admitted).toBe(true);
    clock.nowMs += 5_000;
    const refused = limiter.admit("m", 1, { rpm: 2 });
    expect(refused).toMatchObject({ admitted: false, exceeded: "requests", retryAfterMs: 45_000 });
    clock.nowMs += 45_000;
    expect(limiter.admit("m", 1, { rpm: 2 }).admitted).toBe(true);
  });

  it("keeps models apart and does not count refused requests", () => {
    const { clock, limiter } = limiterAt();
    expect(limiter.admit("a", 1, { rpm: 1 }).admitted).toBe(true);
    expect(limiter.admit("b", 1, { rpm: 1 }).admitted).toBe(true);
    expect(limiter.admit("a", 1, { rpm: 1 }).admitted).toBe(false);
    clock.nowMs += 60_000;
    expect(limiter.admit("a", 1, { rpm: 1 }).admitted).toBe(true);
  });

  it("enforces tpm and reports remaining tokens", () => {
    const { limiter } = limiterAt();
    const first = limiter.admit("m", 600, { tpm: 1000 });
    expect(first).toMatchObject({ admitted: true, state: { limitTokens: 1000, remainingTokens: 400 } });
    expect(limiter.admit("m", 500, { tpm: 1000 })).toMatchObject({ admitted: false, exceeded: "tokens" });
    expect(limiter.admit("m", 400, { tpm: 1000 }).admitted).toBe(true);
  });

  it("forgets everything on reset", () => {
    const { limiter } = limiterAt();
    limiter.admit("m", 1, { rpm: 1 });
    limiter.reset();
    expect(limiter.admit("m", 1, { rpm: 1 }).admitted).toBe(true);
  });
});
