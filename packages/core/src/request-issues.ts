import { formatPath } from "@llmr/config";
import type { z } from "zod";
import type { RequestIssue } from "./errors/request-validation-error.ts";

type ZodIssue = z.core.$ZodIssue;

/**
 * Turns zod's issues into the contract's `param` + message: the path as a user writes it, and
 * words a user understands (`required`, `unknown field`, `must be a string, not a number`) instead
 * of zod's internals. One issue per field: a value that is not even of the right type also fails
 * that type's bounds, and only the first mistake helps.
 */
export function requestIssuesFromZod(error: z.ZodError): RequestIssue[] {
  const byParam = new Map<string, { issue: RequestIssue; typeError: boolean }>();
  // The first type error says the most; among bounds the field's own comes after zod's built-in
  // safe-integer bound, so a later one replaces an earlier one.
  const keep = (issue: RequestIssue, typeError: boolean) => {
    if (!byParam.get(issue.param)?.typeError) byParam.set(issue.param, { issue, typeError });
  };
  for (const issue of error.issues) {
    if (issue.code === "unrecognized_keys") {
      for (const key of issue.keys)
        keep({ param: formatPath([...issue.path, key]), message: "unknown field" }, true);
      continue;
    }
    if (issue.code === "invalid_key") {
      // The path ends in the bad key itself, which may be empty or huge: name the map instead.
      const inner = issue.issues[0];
      const message = inner ? `keys ${describe(inner)}` : "has an invalid key";
      keep({ param: formatPath(issue.path.slice(0, -1)), message }, false);
      continue;
    }
    const typeError =
      issue.code === "invalid_type" || issue.code === "invalid_value" || issue.code === "invalid_union";
    keep({ param: formatPath(issue.path), message: describe(issue) }, typeError);
  }
  return [...byParam.values()].map((held) => held.issue);
}

const NOUNS: Record<string, string> = {
  string: "a string",
  number: "a number",
  int: "a whole number",
  boolean: "true or false",
  object: "an object",
  record: "an object",
  array: "an array",
  null: "null",
};

/** Zod's English messages hold what was received (`…, received number`); issues carry no input. */
function received(issue: ZodIssue): string | undefined {
  return /received (-?\w+)$/.exec(issue.message)?.[1];
}

function describe(issue: ZodIssue): string {
  switch (issue.code) {
    case "invalid_type": {
      const got = received(issue);
      if (got === "undefined") return "required";
      if (got === "Infinity" || got === "-Infinity" || got === "NaN") return "must be a finite number";
      if (issue.expected === "int" && got === "number") return "must be a whole number";
      const wanted = NOUNS[issue.expected] ?? issue.expected;
      const what = issue.path.length === 0 ? "the request body must be a JSON object" : `must be ${wanted}`;
      return got === undefined ? what : `${what}, not ${NOUNS[got] ?? got}`;
    }
    case "invalid_value":
      return issue.values.length === 1
        ? `must be ${JSON.stringify(issue.values[0])}`
        : `must be one of ${issue.values.map((value) => JSON.stringify(value)).join(", ")}`;
    case "invalid_union":
      if (issue.discriminator !== undefined && "options" in issue && issue.options) {
        return `must be one of ${issue.options.map((option) => JSON.stringify(option)).join(", ")}`;
      }
      return issue.message;
    case "too_small":
      if (!isDefault(issue.message)) return issue.message;
      return bound(issue.inclusive === false ? "more than" : "at least", issue.minimum, issue.origin);
    case "too_big":
      if (!isDefault(issue.message)) return issue.message;
      return bound(issue.inclusive === false ? "less than" : "at most", issue.maximum, issue.origin);
    default:
      return issue.message;
  }
}

/** Zod's own bound messages (`Too small: expected …`); a schema's custom message is kept as written. */
function isDefault(message: string): boolean {
  return message.startsWith("Too small:") || message.startsWith("Too big:");
}

function bound(relation: string, limit: number | bigint, origin: string): string {
  if (origin === "string") {
    return relation === "at least" && Number(limit) === 1
      ? "must not be empty"
      : `must be ${relation} ${limit} characters long`;
  }
  if (origin === "array") {
    return relation === "at least" && Number(limit) === 1
      ? "must not be empty"
      : `must hold ${relation} ${limit} items`;
  }
  return `must be ${relation} ${limit}`;
}
