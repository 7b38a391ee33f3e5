import { describe, expect, it } from "vitest";
import { countPromptTokens, countTokens, tokenize } from "./tokenizer.ts";

describe("tokenize", () => {
  it("splits words and punctuation, keeping leading spaces on tokens", () => {
    expect(tokenize("Hello, world!")).toEqual(["Hello", ",", " world", "!"]);
  });

  it("is lossless: tokens concatenate back to the text", () => {
    const text = "  Multi-line\n\ntext with `code`, ünïcödé, numbers 12345678901 and trailing space  ";
    expect(tokenize(text).join("")).toBe(text);
  });

  it("splits very long words like a real tokenizer would", () => {
    expect(tokenize("internationalization").length).toBeGreaterThan(1);
  });

  it("counts the same tokens it produces", () => {
    const text = "The quick brown fox jumps over the lazy dog.";
    expect(countTokens(text)).toBe(tokenize(text).length);
    expect(countTokens("")).toBe(0);
  });
});

describe("countPromptTokens", () => {
  it("adds per-message overhead and counts the system prompt only when present", () => {
    const messages = [{ content: "Hi there" }];
    const withoutSystem = countPromptTokens("", messages);
    expect(withoutSystem).toBe(3 + 4 + 2);
    expect(countPromptTokens("Be brief.", messages)).toBe(withoutSystem + 4 + 3);
  });
});
