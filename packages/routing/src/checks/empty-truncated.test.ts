import { describe, expect, it } from "vitest";
import { answerOf } from "../../test/check-fixtures.ts";
import { empty } from "./empty.ts";
import { truncated } from "./truncated.ts";

describe("empty", () => {
  it("fails empty and whitespace-only answers, zero-width spaces included", () => {
    expect(empty(answerOf(""))).toEqual({ passed: false, reason: "the answer is empty" });
    expect(empty(answerOf(" \n\t\u00a0"))).toEqual({
      passed: false,
      reason: "the answer is only whitespace",
    });
    expect(empty(answerOf("\u200b\u200b")).passed).toBe(false);
  });

  it("passes any visible text, even one character", () => {
    expect(empty(answerOf("0"))).toEqual({ passed: true, reason: "ok" });
  });
});

describe("truncated", () => {
  it("fails an answer cut at the output token limit", () => {
    const cut = truncated(answerOf("The three steps are: first", { finishReason: "length" }));
    expect(cut).toEqual({
      passed: false,
      reason: "cut off at the output token limit (finish_reason length, 40 output tokens)",
    });
  });

  it("passes answers that stopped on their own", () => {
    expect(truncated(answerOf("Done.")).passed).toBe(true);
    expect(truncated(answerOf("Done.", { finishReason: "content_filter" })).passed).toBe(true);
  });
});
