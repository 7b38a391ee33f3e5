import { describe, expect, it } from "vitest";
import { workedAnswerDoubts } from "./worked-answer.ts";

const question =
  "A baker makes 24 muffins and sells them in boxes of 4 for $6 a box. How many dollars does she make?";

describe("workedAnswerDoubts", () => {
  it("has no doubt about an answer whose working produces its final answer from every quantity", () => {
    const answer = "She fills 24 / 4 = 6 boxes.\nEach box sells for $6, so 6 * 6 = 36 dollars.\n#### 36";
    expect(workedAnswerDoubts(question, answer)).toEqual({ factor: 1, reasons: [] });
  });

  it("doubts a final answer that no step of the working produced", () => {
    const answer = "She fills 24 / 4 = 6 boxes.\nEach box sells for $6, so 6 * 6 = 36 dollars.\n#### 30";
    const doubts = workedAnswerDoubts(question, answer);
    expect(doubts?.factor).toBe(0.5);
    expect(doubts?.reasons).toEqual(["the final answer 30 is not the result of any step of the working"]);
  });

  it("doubts an answer that leaves a given quantity unused", () => {
    const answer = "She sells 24 muffins at $6 each: 24 * 6 = 144.\nThe answer is 144.";
    const doubts = workedAnswerDoubts(question, answer);
    expect(doubts?.factor).toBeCloseTo(1 - 0.35 / 3, 10);
    expect(doubts?.reasons[0]).toBe("uses 2 of the 3 quantities in the question (not 4)");
  });

  it("doubts a fractional count", () => {
    const doubts = workedAnswerDoubts(
      "How many buses for 50 pupils, 12 per bus?",
      "50 / 12 = 4.1667\n#### 4.1667",
    );
    expect(doubts?.reasons).toContain('a fractional count (4.1667) for a "how many" question');
  });

  it("says nothing about answers that are not worked numeric answers", () => {
    expect(workedAnswerDoubts("What is the capital of France?", "Paris.")).toBeUndefined();
    expect(workedAnswerDoubts("Summarize the 3 points below.", "They agree on the plan.")).toBeUndefined();
  });
});
