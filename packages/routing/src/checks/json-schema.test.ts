import { describe, expect, it } from "vitest";
import { answerOf, contextOf } from "../../test/check-fixtures.ts";
import type { CheckContext } from "./check-types.ts";
import { jsonSchema } from "./json-schema.ts";

const invoice = {
  type: "object",
  properties: {
    number: { type: "string" },
    total: { type: "number" },
    lines: { type: "array", items: { type: "object", properties: { price: { type: "number" } } } },
  },
  required: ["number", "total"],
  additionalProperties: false,
};
const asking = (schema: Record<string, unknown>): CheckContext =>
  contextOf("Extract the invoice.", {
    responseFormat: { type: "json_schema", json_schema: { name: "invoice", schema } },
  });

describe("json_schema", () => {
  it("is not checked when no JSON was asked", () => {
    expect(jsonSchema(answerOf("plain prose"), contextOf("Hi"))).toEqual({
      passed: true,
      reason: "not checked: no JSON was asked",
    });
  });

  it("fails an answer that does not parse, for json_object and json_schema alike", () => {
    const jsonObject = contextOf("Give JSON", { responseFormat: { type: "json_object" } });
    const result = jsonSchema(answerOf('{"number": "42",'), jsonObject);
    expect(result.passed).toBe(false);
    expect(result.reason).toMatch(/^the answer is not valid JSON: /);
    expect(jsonSchema(answerOf("```json\n{}\n```"), asking(invoice)).passed).toBe(false);
  });

  it("passes a correct JSON answer", () => {
    const text = '{"number": "42", "total": 12.5, "lines": [{"price": 12.5}]}';
    expect(jsonSchema(answerOf(text), asking(invoice))).toEqual({ passed: true, reason: "ok" });
    expect(
      jsonSchema(answerOf("{}"), contextOf("x", { responseFormat: { type: "json_object" } })).passed,
    ).toBe(true);
  });

  it("fails an answer that does not validate, listing the first errors with their JSON path", () => {
    const text = '{"total": "12", "lines": [{"price": "x"}], "extra": 1}';
    const result = jsonSchema(answerOf(text), asking(invoice));
    expect(result.passed).toBe(false);
    expect(result.reason).toBe(
      'the answer does not match the schema: $: missing required property "number"; $: unexpected property "extra"; $.total: must be number (and 1 more)',
    );
  });

  it("validates outputJson when given: the answer without the confidence field the router added", () => {
    const text = '{"number": "42", "total": 1, "confidence": 0.9}';
    const stripped = { number: "42", total: 1 };
    expect(jsonSchema(answerOf(text, { outputJson: stripped }), asking(invoice)).passed).toBe(true);
    expect(jsonSchema(answerOf(text), asking(invoice)).passed).toBe(false);
  });

  it("handles draft-07 schemas with $schema, $ref and $id, compiling each schema text once", () => {
    const schema = {
      $schema: "http://json-schema.org/draft-07/schema#",
      $id: "https://example.com/item",
      type: "object",
      properties: { item: { $ref: "#/$defs/item" } },
      $defs: { item: { type: "integer" } },
    };
    expect(jsonSchema(answerOf('{"item": 3}'), asking(schema)).passed).toBe(true);
    expect(jsonSchema(answerOf('{"item": 3.5}'), asking(schema)).reason).toBe(
      "the answer does not match the schema: $.item: must be integer",
    );
  });

  it("passes, saying so, when the request's schema itself does not compile", () => {
    const result = jsonSchema(
      answerOf('{"a": 1}'),
      asking({ type: "object", properties: { a: { type: "nope" } } }),
    );
    expect(result.passed).toBe(true);
    expect(result.reason).toMatch(/^the answer parses; the schema could not be compiled: /);
  });
});
