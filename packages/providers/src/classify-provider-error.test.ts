import Anthropic from "@anthropic-ai/sdk";
import OpenAI from "openai";
import { describe, expect, it } from "vitest";
import { classifyProviderError } from "./classify-provider-error.ts";
import { FatalProviderError } from "./errors/fatal-provider-error.ts";
import { ProviderAbortedError } from "./errors/provider-aborted-error.ts";
import { ProviderError } from "./errors/provider-error.ts";
import { RetryableProviderError } from "./errors/retryable-provider-error.ts";
import { maxRetryAfterMs } from "./internal/retry-after.ts";

/** Both SDKs build status errors the same way; each case runs against both, through their own factories. */
const sdks = [
  {
    name: "openai",
    statusError: (status: number, headers: Record<string, string> = {}) =>
      OpenAI.APIError.generate(
        status,
        { error: { message: `upstream said ${status}`, type: "x" } },
        undefined,
        new Headers(headers),
      ),
    SDK: OpenAI,
  },
  {
    name: "anthropic",
    statusError: (status: number, headers: Record<string, string> = {}) =>
      Anthropic.APIError.generate(
        status,
        { type: "error", error: { type: "api_error", message: `upstream said ${status}` } },
        undefined,
        new Headers(headers),
      ),
    SDK: Anthropic,
  },
] as const;

function socketError(code: string): Error {
  return Object.assign(new Error(`read ${code}`), { code });
}

describe.each(sdks)("classifyProviderError with $name SDK errors", ({ statusError, SDK }) => {
  it.each([
    [408, "timeout"],
    [409, "conflict"],
    [429, "rate_limited"],
    [500, "server_error"],
    [502, "server_error"],
    [503, "overloaded"],
    [504, "server_error"],
    [529, "overloaded"],
  ] as const)("status %i is retryable (%s)", (status, reason) => {
    const classified = classifyProviderError(statusError(status), "p1");
    expect(classified).toBeInstanceOf(RetryableProviderError);
    expect(classified).toMatchObject({ providerId: "p1", status, reason });
  });

  it.each([
    [400, "bad_request"],
    [401, "authentication"],
    [403, "permission"],
    [404, "not_found"],
    [422, "unprocessable"],
    [402, "other"],
    [413, "other"],
  ] as const)("status %i is fatal (%s)", (status, reason) => {
    const classified = classifyProviderError(statusError(status), "p1");
    expect(classified).toBeInstanceOf(FatalProviderError);
    expect(classified).toMatchObject({ providerId: "p1", status, reason });
  });

  it("obeys x-should-retry: false over a retryable status", () => {
    const classified = classifyProviderError(statusError(503, { "x-should-retry": "false" }), "p1");
    expect(classified).toBeInstanceOf(FatalProviderError);
    expect(classified).toMatchObject({ status: 503, reason: "other" });
  });

  it("obeys x-should-retry: true over a fatal status", () => {
    const classified = classifyProviderError(statusError(400, { "x-should-retry": "true" }), "p1");
    expect(classified).toBeInstanceOf(RetryableProviderError);
    expect(classified).toMatchObject({ status: 400, reason: "server_error" });
  });

  it("keeps the status-specific reason when x-should-retry: true confirms it", () => {
    const classified = classifyProviderError(statusError(429, { "x-should-retry": "true" }), "p1");
    expect(classified).toMatchObject({ reason: "rate_limited" });
  });

  it("reads retry-after in seconds", () => {
    const classified = classifyProviderError(statusError(429, { "retry-after": "2" }), "p1");
    expect(classified).toMatchObject({ retryAfterMs: 2000 });
  });

  it("prefers retry-after-ms over retry-after", () => {
    const classified = classifyProviderError(
      statusError(529, { "retry-after-ms": "150", "retry-after": "9" }),
      "p1",
    );
    expect(classified).toMatchObject({ retryAfterMs: 150 });
  });

  it("reads retry-after as an HTTP date", () => {
    const nowMs = Date.parse("2030-01-01T00:00:00Z");
    const error = statusError(503, { "retry-after": "Tue, 01 Jan 2030 00:00:30 GMT" });
    expect(classifyProviderError(error, "p1", { nowMs })).toMatchObject({ retryAfterMs: 30_000 });
  });

  it("caps retry-after at maxRetryAfterMs", () => {
    const classified = classifyProviderError(statusError(429, { "retry-after": "86400" }), "p1");
    expect(classified).toMatchObject({ retryAfterMs: maxRetryAfterMs });
  });

  it("leaves retryAfterMs undefined when the provider gave no wait", () => {
    const classified = classifyProviderError(statusError(500), "p1");
    expect(classified).toBeInstanceOf(RetryableProviderError);
    expect((classified as RetryableProviderError).retryAfterMs).toBeUndefined();
  });

  it("maps APIUserAbortError to ProviderAbortedError", () => {
    const classified = classifyProviderError(new SDK.APIUserAbortError(), "p1");
    expect(classified).toBeInstanceOf(ProviderAbortedError);
    expect(classified).not.toBeInstanceOf(RetryableProviderError);
    expect(classified).not.toBeInstanceOf(FatalProviderError);
    expect(classified.reason).toBe("aborted");
  });

  it("maps APIConnectionTimeoutError to a retryable timeout", () => {
    const classified = classifyProviderError(new SDK.APIConnectionTimeoutError(), "p1");
    expect(classified).toBeInstanceOf(RetryableProviderError);
    expect(classified).toMatchObject({ reason: "timeout", status: undefined });
  });

  it("maps APIConnectionError to a retryable connection error naming the socket code", () => {
    const fetchFailed = new TypeError("fetch failed", { cause: socketError("ECONNRESET") });
    const classified = classifyProviderError(new SDK.APIConnectionError({ cause: fetchFailed }), "p1");
    expect(classified).toBeInstanceOf(RetryableProviderError);
    expect(classified).toMatchObject({ reason: "connection" });
    expect(classified.message).toContain("ECONNRESET");
  });

  it("keeps the SDK error as cause and the provider id in the message", () => {
    const original = statusError(500);
    const classified = classifyProviderError(original, "my-provider");
    expect(classified.cause).toBe(original);
    expect(classified.message).toMatch(/^my-provider: 500 /);
  });
});

describe("classifyProviderError with raw and other errors", () => {
  it("reports any failure after the caller's signal aborted as an abort", () => {
    const controller = new AbortController();
    controller.abort(new Error("deadline"));
    const classified = classifyProviderError(socketError("ECONNRESET"), "p1", { signal: controller.signal });
    expect(classified).toBeInstanceOf(ProviderAbortedError);
  });

  it("does not report an abort while the caller's signal is live", () => {
    const classified = classifyProviderError(socketError("ECONNRESET"), "p1", {
      signal: new AbortController().signal,
    });
    expect(classified).toBeInstanceOf(RetryableProviderError);
  });

  it("maps a raw AbortError to ProviderAbortedError", () => {
    const classified = classifyProviderError(
      new DOMException("This operation was aborted", "AbortError"),
      "p1",
    );
    expect(classified).toBeInstanceOf(ProviderAbortedError);
  });

  it("maps a raw TimeoutError to a retryable timeout", () => {
    const classified = classifyProviderError(
      new DOMException("The operation timed out.", "TimeoutError"),
      "p1",
    );
    expect(classified).toMatchObject({ reason: "timeout" });
    expect(classified).toBeInstanceOf(RetryableProviderError);
  });

  it.each(["ECONNRESET", "ECONNREFUSED", "EPIPE", "ENOTFOUND", "UND_ERR_SOCKET"])(
    "maps raw %s to a retryable connection error",
    (code) => {
      const classified = classifyProviderError(socketError(code), "p1");
      expect(classified).toBeInstanceOf(RetryableProviderError);
      expect(classified).toMatchObject({ reason: "connection" });
    },
  );

  it("finds a socket code down the cause chain of fetch's TypeError", () => {
    const error = new TypeError("fetch failed", { cause: socketError("ECONNREFUSED") });
    expect(classifyProviderError(error, "p1")).toMatchObject({ reason: "connection" });
  });

  it.each(["ETIMEDOUT", "UND_ERR_HEADERS_TIMEOUT", "UND_ERR_CONNECT_TIMEOUT"])(
    "maps raw %s to a retryable timeout",
    (code) => {
      expect(classifyProviderError(socketError(code), "p1")).toMatchObject({ reason: "timeout" });
    },
  );

  it("maps undici's bare 'terminated' TypeError to a retryable connection error", () => {
    expect(classifyProviderError(new TypeError("terminated"), "p1")).toMatchObject({ reason: "connection" });
  });

  it("maps a body that is not JSON to a retryable server error", () => {
    const classified = classifyProviderError(new SyntaxError("Unexpected token < in JSON"), "p1");
    expect(classified).toBeInstanceOf(RetryableProviderError);
    expect(classified).toMatchObject({ reason: "server_error" });
  });

  it("maps anything unknown to a fatal 'other'", () => {
    const classified = classifyProviderError(new RangeError("bug"), "p1");
    expect(classified).toBeInstanceOf(FatalProviderError);
    expect(classified).toMatchObject({ reason: "other" });
  });

  it("maps a thrown non-Error to a fatal 'other' with its text", () => {
    const classified = classifyProviderError("boom", "p1");
    expect(classified).toBeInstanceOf(FatalProviderError);
    expect(classified.message).toBe("p1: boom");
  });

  it("maps an SDK error the SDK raised itself (no status) to a fatal 'other'", () => {
    const classified = classifyProviderError(
      new OpenAI.APIError(undefined, undefined, "bad option", undefined),
      "p1",
    );
    expect(classified).toBeInstanceOf(FatalProviderError);
  });

  it("returns an already classified error unchanged", () => {
    const original = new FatalProviderError({ providerId: "p1", reason: "not_found" });
    expect(classifyProviderError(original, "other-id")).toBe(original);
  });

  it("always builds instances of the ProviderError base", () => {
    expect(classifyProviderError(new Error("x"), "p1")).toBeInstanceOf(ProviderError);
  });
});

describe("classifyProviderError never leaks an API key", () => {
  const apiKey = "sk-proj-abcdefghijklmnopqrstuvwxyz0123456789";

  it("scrubs the configured key and key-shaped strings from the message and the cause chain", () => {
    const error = OpenAI.APIError.generate(
      401,
      {
        error: { message: `Incorrect API key provided: ${apiKey}. Also tried sk-ant-api03-zzzzzzzzzzzzzz.` },
      },
      undefined,
      new Headers(),
    );
    const classified = classifyProviderError(error, "openai", { secrets: [apiKey] });
    const everything = JSON.stringify({
      message: classified.message,
      causeMessage: (classified.cause as Error).message,
      causeStack: (classified.cause as Error).stack,
      causeBody: (classified.cause as InstanceType<typeof OpenAI.APIError>).error,
    });
    expect(everything).not.toContain(apiKey);
    expect(everything).not.toContain("abcdefghijklmnop");
    expect(everything).not.toContain("zzzzzzzzzzzzzz");
    expect(classified.message).toContain("Incorrect API key provided: [redacted]");
  });

  it("scrubs a configured key that does not look like a key", () => {
    const oddKey = "Z9x8c7v6b5n4m3";
    const error = new Error(`proxy rejected token ${oddKey}`);
    const classified = classifyProviderError(error, "local", { secrets: [oddKey] });
    expect(classified.message).toBe("local: proxy rejected token [redacted]");
  });

  it("scrubs an echoed bearer header", () => {
    const error = Anthropic.APIError.generate(
      400,
      {
        type: "error",
        error: { type: "invalid_request_error", message: "bad header Authorization: Bearer abc.def-123456" },
      },
      undefined,
      new Headers(),
    );
    const classified = classifyProviderError(error, "anthropic");
    expect(classified.message).not.toContain("abc.def-123456");
    expect(classified.message).toContain("Bearer [redacted]");
  });
});
