import { describe, expect, it } from "vitest";
import { EvaluationError } from "./evaluation-error.ts";
import { modelsAnsweringAll, parseReplayRecords, recordedAccuracy } from "./replay-dataset.ts";

const line = (record: object) => JSON.stringify(record);
const messages = [{ role: "user", content: "2 + 2?" }];

describe("parseReplayRecords", () => {
  it("reads the prompt, task and each model's text and verdict", () => {
    const records = parseReplayRecords(
      [
        line({ id: "a", task: "math", messages, gold: "4", responses: { x: { text: "4", correct: true } } }),
        "",
        line({ messages, responses: { x: { text: "5", correct: false }, y: { text: "4", correct: true } } }),
      ].join("\n"),
      "f.jsonl",
    );
    expect(records.map((record) => [record.id, record.task])).toEqual([
      ["a", "math"],
      ["f.jsonl:3", "chat"],
    ]);
    expect(modelsAnsweringAll(records)).toEqual(["x"]);
    expect(recordedAccuracy(records, "x")).toBe(0.5);
  });

  it("names the line of a record without a verdict", () => {
    const bad = line({ messages, responses: { x: { text: "4" } } });
    expect(() => parseReplayRecords(bad, "f.jsonl")).toThrow(EvaluationError);
    expect(() => parseReplayRecords(bad, "f.jsonl")).toThrow(/^f\.jsonl:1: responses\.x\.correct/);
  });
});
