import { describe, expect, it } from "vitest";
import { maxRetryAfterMs, parseRetryAfterMs } from "./retry-after.ts";

const nowMs = Date.parse("2030-06-01T12:00:00Z");

describe("parseRetryAfterMs", () => {
  it("reads retry-after-ms as milliseconds, fractions included", () => {
    expect(parseRetryAfterMs(new Headers({ "retry-after-ms": "250.4" }), nowMs)).toBe(250);
  });

  it("reads retry-after as seconds, fractions included", () => {
    expect(parseRetryAfterMs(new Headers({ "retry-after": "1.5" }), nowMs)).toBe(1500);
  });

  it("prefers retry-after-ms when both are present", () => {
    expect(parseRetryAfterMs(new Headers({ "retry-after-ms": "10", "retry-after": "3" }), nowMs)).toBe(10);
  });

  it("falls back to retry-after when retry-after-ms is garbage", () => {
    expect(parseRetryAfterMs(new Headers({ "retry-after-ms": "soon", "retry-after": "3" }), nowMs)).toBe(
      3000,
    );
  });

  it("reads an HTTP date relative to now", () => {
    expect(parseRetryAfterMs(new Headers({ "retry-after": "Sat, 01 Jun 2030 12:00:05 GMT" }), nowMs)).toBe(
      5000,
    );
  });

  it("treats an HTTP date in the past as no wait", () => {
    expect(parseRetryAfterMs(new Headers({ "retry-after": "Sat, 01 Jun 2030 11:00:00 GMT" }), nowMs)).toBe(0);
  });

  it("caps long waits", () => {
    expect(parseRetryAfterMs(new Headers({ "retry-after": "3600" }), nowMs)).toBe(maxRetryAfterMs);
    expect(parseRetryAfterMs(new Headers({ "retry-after-ms": "99999999" }), nowMs)).toBe(maxRetryAfterMs);
  });

  it.each(["", "  ", "-5", "tomorrow"])("ignores unusable value %j", (value) => {
    expect(parseRetryAfterMs(new Headers({ "retry-after": value }), nowMs)).toBeUndefined();
  });

  it("returns undefined without headers", () => {
    expect(parseRetryAfterMs(undefined, nowMs)).toBeUndefined();
    expect(parseRetryAfterMs(new Headers(), nowMs)).toBeUndefined();
  });
});
