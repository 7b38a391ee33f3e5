import { describe, expect, it } from "vitest";
import { CircuitBreakerOptionsSchema } from "./circuit-breaker/breaker-options.ts";
import { DispatchKeys } from "./dispatch-keys.ts";
import { InvalidDispatchArgumentError } from "./errors/invalid-dispatch-argument-error.ts";
import { parseArguments } from "./parse-arguments.ts";
import { AcquireRequestSchema, RateLimiterOptionsSchema } from "./rate-limiter/limiter-options.ts";

describe("dispatch arguments", () => {
  it("fills the documented defaults", () => {
    expect(parseArguments(RateLimiterOptionsSchema, {}, "options")).toEqual({
      prefix: "llmr",
      windowMs: 60_000,
      interactiveIdleMs: 10_000,
      reservedShare: 0.2,
    });
    expect(parseArguments(CircuitBreakerOptionsSchema, {}, "options")).toMatchObject({
      failureThreshold: 5,
      failureWindowMs: 60_000,
      coolDownMs: 30_000,
    });
  });

  it("names every field at fault", () => {
    const bad = { deployment: "", estimatedTokens: -1, klass: "bulk" };
    expect(() => parseArguments(AcquireRequestSchema, bad, "acquire request")).toThrow(
      InvalidDispatchArgumentError,
    );
    expect(() => parseArguments(AcquireRequestSchema, bad, "acquire request")).toThrow(
      /^invalid acquire request: deployment: .*; estimatedTokens: .*; klass: /,
    );
    expect(() =>
      parseArguments(CircuitBreakerOptionsSchema, { coolDownMs: 10, maxCoolDownMs: 5 }, "o"),
    ).toThrow(/maxCoolDownMs: must be at least coolDownMs/);
  });

  it("refuses a key prefix with braces, which would steal the hash tag", () => {
    expect(() => new DispatchKeys("llmr{x}")).toThrow(RangeError);
    expect(new DispatchKeys("llmr").breaker("fast/a").state).toBe("llmr:{breaker:fast/a}:state");
  });
});
