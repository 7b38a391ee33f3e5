import type { ErrorObject, ValidateFunction } from "ajv/dist/2020.js";
import { Ajv2020 } from "ajv/dist/2020.js";
import type { CheckAnswer, CheckContext, CheckResult } from "./check-types.ts";
import { PASSED } from "./check-types.ts";

/** Compiled validators kept, by schema text; the least recently used goes first. */
const maxCachedSchemas = 200;
/** Validation errors named in a reason; the rest are counted. */
const maxListedErrors = 3;

// One instance for every schema: `strict: false` because request schemas are written for the
// vendors (OpenAI's structured outputs, draft-07 habits), not for Ajv's strict mode; formats are not
// validated (no `ajv-formats`), as the vendors' own structured-output modes don't enforce them either.
const ajv = new Ajv2020({ strict: false, allErrors: true, validateFormats: false });
const validators = new Map<string, ValidateFunction | Error>();

/**
 * `json_schema`: only when the request asked for JSON. The answer text must parse as JSON; for
 * `response_format: json_schema` the answer must also validate against the request's schema
 * (JSON Schema 2020-12, Ajv). The reason lists the first errors with their path
 * (`$.total: must be number`). Validates `answer.outputJson` when given (the answer without a
 * `confidence` field the router added), else the parsed text. A schema that does not compile passes
 * with a reason saying only the syntax was checked: the schema, not the answer, is at fault, and a
 * stronger model could not fix it.
 *
 * @example
 * jsonSchema({ text: '{"total": "12"}', … }, { responseFormat: { type: "json_schema", json_schema: { name: "x",
 *   schema: { type: "object", properties: { total: { type: "number" } } } } }, … });
 * // → { passed: false, reason: "the answer does not match the schema: $.total: must be number" }
 */
export function jsonSchema(answer: CheckAnswer, context: CheckContext): CheckResult {
  const format = context.responseFormat;
  if (format.type === "text") return { passed: true, reason: "not checked: no JSON was asked" };
  let parsed: unknown;
  try {
    parsed = JSON.parse(answer.text);
  } catch (error) {
    return { passed: false, reason: `the answer is not valid JSON: ${(error as Error).message}` };
  }
  if (format.type === "json_object") return PASSED;

  const validate = validatorFor(format.json_schema.schema);
  if (validate instanceof Error) {
    return {
      passed: true,
      reason: `the answer parses; the schema could not be compiled: ${validate.message}`,
    };
  }
  const value = answer.outputJson === undefined || answer.outputJson === null ? parsed : answer.outputJson;
  if (validate(value)) return PASSED;
  const errors = validate.errors ?? [];
  const listed = errors.slice(0, maxListedErrors).map(describeError);
  const more = errors.length > maxListedErrors ? ` (and ${errors.length - maxListedErrors} more)` : "";
  return { passed: false, reason: `the answer does not match the schema: ${listed.join("; ")}${more}` };
}

function validatorFor(schema: Record<string, unknown>): ValidateFunction | Error {
  const key = JSON.stringify(schema);
  const cached = validators.get(key);
  if (cached !== undefined) {
    validators.delete(key);
    validators.set(key, cached);
    return cached;
  }
  let compiled: ValidateFunction | Error;
  try {
    // `$schema` naming another draft would make Ajv look for that meta-schema: validate as 2020-12.
    const { $schema: _draft, ...rest } = schema;
    compiled = ajv.compile(rest);
  } catch (error) {
    compiled = error instanceof Error ? error : new Error(String(error));
  } finally {
    // Ajv also keeps compiled schemas by `$id`; our map is the only cache that should grow.
    ajv.removeSchema();
  }
  validators.set(key, compiled);
  if (validators.size > maxCachedSchemas) {
    const oldest = validators.keys().next().value;
    if (oldest !== undefined) validators.delete(oldest);
  }
  return compiled;
}

/** `{instancePath: "/items/0/price", message: "must be number"}` → `$.items[0].price: must be number`. */
function describeError(error: ErrorObject): string {
  let path = "$";
  for (const segment of error.instancePath.split("/").slice(1)) {
    const key = segment.replace(/~1/g, "/").replace(/~0/g, "~");
    path += /^\d+$/.test(key)
      ? `[${key}]`
      : /^[A-Za-z_$][\w$]*$/.test(key)
        ? `.${key}`
        : `[${JSON.stringify(key)}]`;
  }
  if (error.keyword === "additionalProperties") {
    return `${path}: unexpected property "${String(error.params.additionalProperty)}"`;
  }
  if (error.keyword === "required")
    return `${path}: missing required property "${String(error.params.missingProperty)}"`;
  return `${path}: ${error.message ?? error.keyword}`;
}
