import { describe, expect, it } from "vitest";
import { breakJson, type ComposeInput, composeAnswer } from "./compose-answer.ts";
import { createRng } from "./rng.ts";
import { countTokens } from "./tokenizer.ts";

const article = [
  "Queues decouple producers from consumers. They absorb bursts and let workers run at their own pace.",
  "Retries need care. A retry storm can take down the very service it is trying to reach.",
  "Dead-letter queues keep failed jobs. Operators can inspect them and replay them later.",
].join("\n\n");

function input(overrides: Partial<ComposeInput>): ComposeInput {
  return {
    system: "",
    question: "How do I size a worker pool for a job queue?",
    format: { type: "text" },
    judgement: { difficulty: 0.2, confident: true, confidence: 0.9 },
    rng: createRng(1),
    maxOutputTokens: 500,
    ...overrides,
  };
}

describe("composeAnswer", () => {
  it("answers on topic when confident and hedges, shorter, when not", () => {
    const confident = composeAnswer(input({}));
    const hedged = composeAnswer(
      input({ judgement: { difficulty: 0.9, confident: false, confidence: 0.2 } }),
    );
    expect(confident).toContain("worker pool");
    expect(confident).not.toMatch(/not sure/);
    expect(hedged).toMatch(/^I'm not sure, but/);
    expect(countTokens(hedged)).toBeLessThan(countTokens(confident));
  });

  it("summarises extractively: leading sentences, clearly shorter than the input", () => {
    const summary = composeAnswer(input({ question: `Summarize this article:\n\n${article}` }));
    expect(summary).toBe(
      "Queues decouple producers from consumers. Retries need care. Dead-letter queues keep failed jobs.",
    );
    expect(countTokens(summary)).toBeLessThan(countTokens(article) * 0.6);
  });

  it("summarises a transcript (one turn per line) by its most substantial turns, in order", () => {
    const turns = Array.from({ length: 200 }, (_, i) =>
      i % 4 === 0
        ? `Speaker ${i % 3}: We decided that item ${i} ships next week because the remote control needs a new battery cover and the budget allows it.`
        : `Speaker ${i % 3}: OK .`,
    );
    const transcript = `Summarize this meeting.\n${turns.join("\n")}`;
    const summary = composeAnswer(input({ question: transcript, maxOutputTokens: 1000 }));
    const items = [...summary.matchAll(/We decided that item (\d+) ships/g)].map((match) => Number(match[1]));
    expect(items.length).toBeGreaterThan(1);
    expect(items).toEqual([...items].sort((a, b) => a - b));
    expect(summary).not.toMatch(/OK \./);
    expect(summary).not.toMatch(/Summarize/);
    expect(countTokens(summary)).toBeLessThan(countTokens(transcript) * 0.6);
  });

  it("takes more than each paragraph's first sentence when those alone would be implausibly short", () => {
    const paragraph = (i: number) =>
      `Thank you. Member ${i} explained the plan for the new hospital wing and its budget in detail. ${"The committee asked about staffing, waiting lists and the timetable for the building works. ".repeat(4)}`;
    const text = `Summarize these notes.\n\n${[1, 2, 3, 4].map(paragraph).join("\n\n")}`;
    const summary = composeAnswer(input({ question: text, maxOutputTokens: 500 }));
    expect(summary).toContain("Member 1 explained the plan");
    expect(summary.startsWith("Thank you.")).toBe(true);
  });

  it("fits summaries into the token budget when it can", () => {
    const summary = composeAnswer(
      input({ system: "You summarise.", question: article, maxOutputTokens: 12 }),
    );
    expect(countTokens(summary)).toBeLessThanOrEqual(12);
  });

  it("answers arithmetic exactly when confident", () => {
    expect(composeAnswer(input({ question: "What is 12 * 7?" }))).toBe("12 * 7 = 84.");
  });

  it("returns a JSON object with the confidence for json_object", () => {
    const json = JSON.parse(composeAnswer(input({ format: { type: "json_object" } })));
    expect(json).toMatchObject({ confidence: 0.9, answer: expect.any(String) });
  });
});

describe("breakJson", () => {
  it("never returns parseable JSON", () => {
    for (const text of ['{"a":1}', "[1,2,3]", '"text"', "12345", "{}"]) {
      expect(() => JSON.parse(breakJson(text))).toThrow();
    }
  });
});
