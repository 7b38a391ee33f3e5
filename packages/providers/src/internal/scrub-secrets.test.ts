import { describe, expect, it } from "vitest";
import { scrubErrorChain, scrubSecrets } from "./scrub-secrets.ts";

describe("scrubSecrets", () => {
  it.each([
    ["OpenAI project key", "key sk-proj-AbC123_xyz-987654321 rejected", "key [redacted] rejected"],
    ["Anthropic key", "x sk-ant-api03-AAAAAAAAAAAAAAAA-BBBB y", "x [redacted] y"],
    [
      "masked key",
      "Incorrect API key provided: sk-abc*********wxyz.",
      "Incorrect API key provided: [redacted]",
    ],
    ["bearer token", "Authorization: Bearer eyJhbGciOi.payload.sig", "Authorization: Bearer [redacted]"],
    ["x-api-key header", "x-api-key: 0123456789abcdef", "x-api-key: [redacted]"],
    ["api_key json field", '{"api_key": "0123456789abcdef"}', '{"api_key": "[redacted]"}'],
  ])("removes a %s", (_name, input, expected) => {
    expect(scrubSecrets(input)).toBe(expected);
  });

  it("removes every occurrence of a configured secret", () => {
    expect(scrubSecrets("a LONGSECRET1 b LONGSECRET1", ["LONGSECRET1"])).toBe("a [redacted] b [redacted]");
  });

  it("leaves short placeholder keys alone so ordinary words survive", () => {
    expect(scrubSecrets("none of the models answered", ["none"])).toBe("none of the models answered");
  });

  it("leaves ordinary text alone", () => {
    const text = "429 Rate limit reached for gpt-4o-mini in organization org-123 on tokens per min";
    expect(scrubSecrets(text)).toBe(text);
  });
});

describe("scrubErrorChain", () => {
  it("scrubs message and stack down the cause chain, in place", () => {
    const root = new Error("socket said sk-live-0123456789abcdef");
    const middle = new TypeError("fetch failed", { cause: root });
    const top = Object.assign(new Error("wrapped"), { cause: middle });
    scrubErrorChain(top);
    expect(root.message).toBe("socket said [redacted]");
    expect(root.stack).not.toContain("0123456789abcdef");
  });

  it("scrubs string fields of an SDK error body", () => {
    const error = Object.assign(new Error("401"), {
      error: { error: { message: "bad key sk-0123456789abcdef" } },
    });
    scrubErrorChain(error);
    expect(error.error.error.message).toBe("bad key [redacted]");
  });

  it("ignores non-errors", () => {
    expect(() => scrubErrorChain("sk-0123456789abcdef")).not.toThrow();
  });
});
