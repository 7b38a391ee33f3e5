import { describe, expect, it } from "vitest";
import { BatchOptionsSchema, prepareBatchItem } from "./batch-request.ts";

describe("prepareBatchItem", () => {
  it("merges an item over the defaults: its prompt replaces theirs, metadata merges, class is batch", () => {
    const prepared = prepareBatchItem(
      { custom_id: "doc-1", messages: [{ role: "user", content: "hi" }], metadata: { doc: "1" } },
      { input: "default prompt", task: "summarize", max_output_tokens: 100, metadata: { run: "nightly" } },
      "items[0]",
    );
    expect(prepared).toEqual({
      ok: true,
      customId: "doc-1",
      request: {
        class: "batch",
        task: "summarize",
        max_output_tokens: 100,
        messages: [{ role: "user", content: "hi" }],
        metadata: { run: "nightly", doc: "1" },
      },
    });
  });

  it("takes the prompt from the defaults when the item has none", () => {
    const prepared = prepareBatchItem({ custom_id: "a", temperature: 0 }, { input: "shared" }, "items[0]");
    expect(prepared).toMatchObject({
      ok: true,
      request: { input: "shared", temperature: 0, class: "batch" },
    });
  });

  it("names the item and the field at fault", () => {
    expect(prepareBatchItem({ custom_id: "a" }, undefined, "items[12]")).toEqual({
      ok: false,
      issues: [{ param: "items[12].messages", message: "required: give either messages or input" }],
    });
    expect(prepareBatchItem({ input: "x" }, undefined, "lines[4]")).toEqual({
      ok: false,
      issues: [{ param: "lines[4].custom_id", message: "required" }],
    });
    expect(
      prepareBatchItem({ custom_id: "a", messages: [{ role: "user", content: "" }] }, undefined, "items[0]"),
    ).toEqual({
      ok: false,
      issues: [{ param: "items[0].messages[0].content", message: "must not be empty" }],
    });
    expect(prepareBatchItem({ custom_id: "a", input: "x", max_tokens: 3 }, undefined, "items[1]")).toEqual({
      ok: false,
      issues: [{ param: "items[1].max_tokens", message: "unknown field" }],
    });
  });

  it("refuses an interactive item and an item that is not an object", () => {
    const interactive = prepareBatchItem(
      { custom_id: "a", input: "x", class: "interactive" },
      undefined,
      "items[0]",
    );
    expect(interactive).toMatchObject({ ok: false, issues: [{ param: "items[0].class" }] });
    expect(prepareBatchItem([1], undefined, "items[2]")).toEqual({
      ok: false,
      issues: [{ param: "items[2]", message: "must be a JSON object (one item)" }],
    });
  });
});

describe("BatchOptionsSchema", () => {
  it("wants complete_by after not_before and ISO-8601 instants", () => {
    const order = BatchOptionsSchema.safeParse({
      not_before: "2030-01-02T00:00:00Z",
      complete_by: "2030-01-01T00:00:00Z",
    });
    expect(order.error?.issues[0]).toMatchObject({
      path: ["complete_by"],
      message: "must be later than not_before",
    });
    const format = BatchOptionsSchema.safeParse({ not_before: "tomorrow" });
    expect(format.error?.issues[0]?.path).toEqual(["not_before"]);
    expect(BatchOptionsSchema.safeParse({ not_before: "2030-01-01T01:00:00+02:00" }).success).toBe(true);
  });
});
