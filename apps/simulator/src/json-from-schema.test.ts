import { describe, expect, it } from "vitest";
import { z } from "zod";
import { generateFromSchema } from "./json-from-schema.ts";
import { createRng } from "./rng.ts";

const fillers = (confidence = 0.87) => ({
  rng: createRng(7),
  confidence,
  text: (name: string) => `text for ${name}`,
});

/** Generates a value and checks it with zod's own JSON Schema reader, an independent validator. */
function expectValid(schema: Record<string, unknown>) {
  const value = generateFromSchema(schema, fillers());
  expect(() => z.fromJSONSchema(schema).parse(value)).not.toThrow();
  return value;
}

describe("generateFromSchema", () => {
  it("fills objects with required and optional properties of every basic type", () => {
    const value = expectValid({
      type: "object",
      properties: {
        title: { type: "string", minLength: 3, maxLength: 40 },
        count: { type: "integer", minimum: 2, maximum: 5 },
        score: { type: "number", exclusiveMinimum: 0, maximum: 1 },
        done: { type: "boolean" },
        kind: { type: "string", enum: ["a", "b", "c"] },
        version: { const: 3 },
        note: { type: ["string", "null"] },
        tags: { type: "array", items: { type: "string" }, minItems: 1, maxItems: 4 },
        when: { type: "string", format: "date-time" },
      },
      required: ["title", "count", "score", "done", "kind", "version", "note", "tags"],
      additionalProperties: false,
    });
    expect(value).toMatchObject({ title: "text for title", version: 3 });
  });

  it("puts the simulated confidence into a number property called confidence", () => {
    const schema = {
      type: "object",
      properties: { answer: { type: "string" }, confidence: { type: "number", minimum: 0, maximum: 1 } },
      required: ["answer", "confidence"],
    };
    expect(generateFromSchema(schema, fillers(0.23))).toEqual({
      answer: "text for answer",
      confidence: 0.23,
    });
  });

  it("resolves local $refs, anyOf and allOf", () => {
    expectValid({
      type: "object",
      $defs: { Step: { type: "object", properties: { n: { type: "integer" } }, required: ["n"] } },
      properties: {
        steps: { type: "array", items: { $ref: "#/$defs/Step" } },
        either: { anyOf: [{ type: "null" }, { type: "number", minimum: 10, maximum: 20 }] },
        both: {
          allOf: [
            { type: "object", properties: { x: { type: "string" } } },
            { properties: { y: { type: "boolean" } } },
          ],
        },
      },
      required: ["steps", "either", "both"],
    });
  });

  it("stops at recursive schemas instead of looping", () => {
    const schema = {
      $defs: { Node: { type: "object", properties: { child: { $ref: "#/$defs/Node" } } } },
      $ref: "#/$defs/Node",
    };
    expect(typeof generateFromSchema(schema, fillers())).toBe("object");
  });

  it("is deterministic for the same seed", () => {
    const schema = {
      type: "object",
      properties: { pick: { enum: [1, 2, 3, 4, 5, 6] }, n: { type: "number" } },
    };
    expect(generateFromSchema(schema, fillers())).toEqual(generateFromSchema(schema, fillers()));
  });
});
