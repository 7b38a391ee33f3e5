/**
 * How the processor asks a structured answer for its own confidence: a system-prompt line for
 * `json_object` answers, and a schema extension for `json_schema` answers (structured-output modes
 * then make the model fill it in).
 */

const confidenceDescription =
  "How likely your answer is correct, from 0 (a guess) to 1 (certain). Be calibrated: use a low value when unsure.";

/**
 * A line to add to the system prompt of a task with `self_reported_confidence`, for answers in
 * JSON mode without a schema.
 *
 * @example
 * messages = [{ role: "system", content: selfReportInstruction() }, ...messages];
 */
export function selfReportInstruction(): string {
  return (
    'Add a top-level field "confidence" to your JSON answer: a number from 0 to 1 giving how likely ' +
    "your answer is correct (0 = a guess, 1 = certain). Be calibrated: use a low value when unsure."
  );
}

/**
 * A copy of a JSON Schema with a required `confidence` number in [0, 1] added to its root object.
 * The input is not changed. A schema whose root is not an object (no `type: "object"`, no
 * `properties`) or that already has a `confidence` property is returned as it is: the answer then
 * carries no self-report of ours and the confidence falls back to the heuristics.
 * `required` gains the field, which strict structured-output modes (every property required) need.
 *
 * @example
 * const schema = withConfidenceField({ type: "object", properties: { label: { type: "string" } } });
 * // → properties.confidence = { type: "number", minimum: 0, maximum: 1, … }, required: ["confidence"]
 */
export function withConfidenceField(schema: Record<string, unknown>): Record<string, unknown> {
  const properties = schema.properties;
  const hasProperties = typeof properties === "object" && properties !== null && !Array.isArray(properties);
  if (!hasProperties && schema.type !== "object") return schema;
  if (hasProperties && "confidence" in properties) return schema;
  const required = Array.isArray(schema.required) ? schema.required : [];
  return {
    ...schema,
    properties: {
      ...(hasProperties ? properties : {}),
      confidence: { type: "number", minimum: 0, maximum: 1, description: confidenceDescription },
    },
    required: [...required, "confidence"],
  };
}
