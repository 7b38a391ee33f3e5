import { describe, expect, it } from "vitest";
import { RequestValidationError } from "../errors/request-validation-error.ts";
import type { BatchEntry } from "./batch-source.ts";
import { jsonBatchSource, ndjsonBatchSource } from "./batch-source.ts";

async function entries(source: AsyncIterable<BatchEntry>): Promise<BatchEntry[]> {
  const all: BatchEntry[] = [];
  for await (const entry of source) all.push(entry);
  return all;
}

const body = (text: string) =>
  (async function* () {
    yield Buffer.from(text);
  })();

describe("ndjsonBatchSource", () => {
  it("reads the optional options line first, then one item per line, named by line", async () => {
    const source = await ndjsonBatchSource(
      body(
        '{"object":"batch.options","defaults":{"task":"summarize"}}\n{"custom_id":"a","input":"x"}\nnot json\n',
      ),
      1_000,
    );
    expect(source.options).toEqual({ defaults: { task: "summarize" } });
    expect(source.optionsWhere).toBe("lines[1]");
    const read = await entries(source.entries);
    expect(read[0]).toEqual({ where: "lines[2]", raw: { custom_id: "a", input: "x" } });
    expect(read[1]).toMatchObject({ where: "lines[3]", issue: { param: "lines[3]" } });
    expect(read).toHaveLength(2);
  });

  it("treats a first line without the options marker as an item", async () => {
    const source = await ndjsonBatchSource(body('{"custom_id":"a","input":"x"}\n'), 1_000);
    expect(source.options).toEqual({});
    expect(await entries(source.entries)).toEqual([
      { where: "lines[1]", raw: { custom_id: "a", input: "x" } },
    ]);
  });
});

describe("jsonBatchSource", () => {
  it("hands out the items with their index and keeps the other fields as options", async () => {
    const source = jsonBatchSource({ items: [{ custom_id: "a" }], not_before: "x" });
    expect(source.options).toEqual({ not_before: "x" });
    expect(await entries(source.entries)).toEqual([{ where: "items[0]", raw: { custom_id: "a" } }]);
  });

  it("refuses a body without items, with empty items, or that is not an object", () => {
    const issuesOf = (value: unknown) => {
      try {
        jsonBatchSource(value);
      } catch (error) {
        return (error as RequestValidationError).issues;
      }
      return [];
    };
    expect(issuesOf({})).toEqual([{ param: "items", message: "required" }]);
    expect(issuesOf({ items: [] })).toEqual([{ param: "items", message: "must hold at least one item" }]);
    expect(issuesOf([1])[0]?.message).toBe("the request body must be a JSON object");
    expect(() => jsonBatchSource(null)).toThrow(RequestValidationError);
  });
});
