import { describe, expect, it } from "vitest";
import { selfReportInstruction, withConfidenceField } from "./self-report-request.ts";

describe("withConfidenceField", () => {
  it("adds a required confidence number in [0, 1] to an object schema without changing the input", () => {
    const schema = {
      type: "object",
      properties: { label: { type: "string" } },
      required: ["label"],
      additionalProperties: false,
    };
    const before = structuredClone(schema);
    const extended = withConfidenceField(schema);
    expect(extended).toMatchObject({
      type: "object",
      additionalProperties: false,
      required: ["label", "confidence"],
      properties: { label: { type: "string" }, confidence: { type: "number", minimum: 0, maximum: 1 } },
    });
    expect(schema).toEqual(before);
  });

  it("leaves a non-object root, or one that already has a confidence, as it is", () => {
    const list = { type: "array", items: { type: "string" } };
    expect(withConfidenceField(list)).toBe(list);
    const own = { type: "object", properties: { confidence: { type: "string" } } };
    expect(withConfidenceField(own)).toBe(own);
  });
});

describe("selfReportInstruction", () => {
  it("asks for a top-level confidence field between 0 and 1", () => {
    expect(selfReportInstruction()).toMatch(/"confidence".*from 0 to 1/);
  });
});
