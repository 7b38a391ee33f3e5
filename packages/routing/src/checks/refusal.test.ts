import { describe, expect, it } from "vitest";
import { answerOf } from "../../test/check-fixtures.ts";
import { refusal } from "./refusal.ts";

const verdict = (text: string) => refusal(answerOf(text));

describe("refusal", () => {
  it.each([
    "I'm sorry, but I can't help with that.",
    "I’m sorry, but I cannot assist with this request.",
    "Sorry, I can't do that.",
    "Unfortunately, I am unable to provide medical advice.",
    "I can't help with that request.",
    "I cannot comply with this.",
    "As an AI language model, I don't have personal opinions.",
    "As an AI, I cannot browse the internet.",
    "I don't know.",
    "I do not know the answer to this question.",
    "I'm unable to determine the capital from the given text.",
    "Good question. I'm sorry, but I won't help with that.",
  ])("fails %j", (text) => {
    const result = verdict(text);
    expect(result.passed).toBe(false);
    expect(result.reason).toMatch(/^the answer refuses or does not know: "/);
  });

  it("fails on a refusal or content-filter finish reason", () => {
    expect(refusal(answerOf("", { finishReason: "refusal" })).reason).toBe(
      "the provider stopped the answer (finish_reason refusal)",
    );
    expect(refusal(answerOf("Partial", { finishReason: "content_filter" })).passed).toBe(false);
  });

  it.each([
    "AI models are trained on large amounts of text; as an AI researcher once said, data matters.",
    "The AI in this game uses a minimax search.",
    "I can't stress enough how important backups are.",
    "Sorry for the delay in the example: here is the fixed code.",
    "Paris is the capital of France.",
    'Here is the answer. Many people say "I don\'t know" when asked this, but the answer is 42.',
    `${"Background and context. ".repeat(20)}I can't help with that part, but the rest is above.`,
  ])("passes %j", (text) => {
    expect(verdict(text)).toEqual({ passed: true, reason: "ok" });
  });
});
