import { describe, expect, it } from "vitest";
import { parseReplayLines, ReplayFileError } from "./replay-files.ts";
import { buildReplayIndex } from "./replay-index.ts";

const line = (record: object) => JSON.stringify(record);
const question = { role: "user", content: "How  many legs does a spider have?" };

describe("parseReplayLines", () => {
  it("keeps the turns, the system prompt and each model's text, and drops everything else", () => {
    const [record] = parseReplayLines(
      line({
        id: "x",
        gold: "8",
        messages: [{ role: "system", content: "Be brief." }, question],
        responses: { a: { text: "8", correct: true, cost_usd: 0.1 } },
      }),
      "file.jsonl",
    );
    expect(record).toEqual({
      system: "Be brief.",
      turns: [question],
      answers: new Map([["a", "8"]]),
    });
  });

  it("names the file and line of a malformed record", () => {
    const text = `${line({ messages: [question], responses: {} })}\n\n{not json`;
    expect(() => parseReplayLines(text, "f.jsonl")).toThrow(new ReplayFileError("f.jsonl:3: not valid JSON"));
    expect(() => parseReplayLines(line({ messages: [], responses: {} }), "g.jsonl")).toThrow(
      /^g\.jsonl:1: messages/,
    );
  });
});

describe("buildReplayIndex", () => {
  const index = buildReplayIndex([
    ...parseReplayLines(line({ messages: [question], responses: { a: { text: "eight" } } }), "one"),
    // A second file with another model's answers to the same prompt, and a duplicate of model a.
    ...parseReplayLines(
      line({ messages: [question], responses: { a: { text: "later" }, b: { text: "8" } } }),
      "two",
    ),
  ]);

  it("merges the answers of several files to the same conversation, first one winning", () => {
    expect(index.size).toBe(1);
    expect(index.models).toEqual(new Set(["a", "b"]));
    const request = { system: "", messages: [{ role: "user" as const, content: question.content }] };
    expect(index.lookup(request, "a")).toEqual({ kind: "answer", text: "eight" });
    expect(index.lookup(request, "b")).toEqual({ kind: "answer", text: "8" });
    expect(index.lookup(request, "c")).toEqual({ kind: "no_model_answer" });
  });

  it("matches whatever the system prompt and however whitespace was collapsed, but not other turns", () => {
    const collapsed = { role: "user" as const, content: " How many legs does a spider have? " };
    expect(index.lookup({ system: "Router says hi.", messages: [collapsed] }, "a").kind).toBe("answer");
    const other = { role: "user" as const, content: "How many legs does an ant have?" };
    expect(index.lookup({ system: "", messages: [other] }, "a")).toEqual({ kind: "no_prompt" });
    const asAssistant = { role: "assistant" as const, content: question.content };
    expect(index.lookup({ system: "", messages: [asAssistant] }, "a")).toEqual({ kind: "no_prompt" });
  });
});
