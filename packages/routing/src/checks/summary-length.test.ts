import { describe, expect, it } from "vitest";
import { answerOf, contextOf } from "../../test/check-fixtures.ts";
import { summaryLength } from "./summary-length.ts";

const summarize = (inputTokens: number) =>
  contextOf("Summarize the text below.", { task: "summarize", inputTokens });

describe("summary_length", () => {
  it("is only checked for the summarize task", () => {
    expect(summaryLength(answerOf("long ".repeat(500)), contextOf("Hi", { inputTokens: 10 })).reason).toBe(
      "not checked: not a summarize task",
    );
  });

  it("fails a summary that is not shorter than its input", () => {
    const result = summaryLength(answerOf("word ".repeat(1_200).trim()), summarize(1_000));
    expect(result).toEqual({
      passed: false,
      reason: "the summary (1,200 tokens) is not shorter than its input (1,000 tokens)",
    });
  });

  it("lets a short input have a summary about as long as itself, but not a rambling one", () => {
    // A 40-token note cannot be summarized shorter: requiring it failed the job on every tier.
    expect(summaryLength(answerOf("word ".repeat(50).trim()), summarize(40)).passed).toBe(true);
    expect(summaryLength(answerOf("word ".repeat(150).trim()), summarize(40))).toEqual({
      passed: false,
      reason: "the summary (150 tokens) is not shorter than its input (40 tokens)",
    });
  });

  it("fails an implausibly short summary of a long input", () => {
    const result = summaryLength(answerOf("Meeting notes."), summarize(10_000));
    expect(result).toEqual({
      passed: false,
      reason: "the summary (3 tokens) is implausibly short for an input of 10,000 tokens (at least 20)",
    });
  });

  it("passes a one-sentence gist of a long input and a short summary of a short one", () => {
    const gist =
      "The team chose a yellow rubber case and a scroll wheel for the remote, and postponed the budget.";
    expect(summaryLength(answerOf(gist), summarize(10_000))).toEqual({ passed: true, reason: "ok" });
    expect(summaryLength(answerOf("Rates rose to fight inflation."), summarize(300)).passed).toBe(true);
  });
});
