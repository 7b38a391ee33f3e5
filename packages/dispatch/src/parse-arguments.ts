import type { z } from "zod";
import { InvalidDispatchArgumentError } from "./errors/invalid-dispatch-argument-error.ts";

/**
 * Validates what a caller passed against `schema` and returns the parsed value, or throws
 * {@link InvalidDispatchArgumentError} naming every field at fault (`what` says whose they are).
 */
export function parseArguments<Schema extends z.ZodType>(
  schema: Schema,
  value: unknown,
  what: string,
): z.output<Schema> {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((issue) =>
    issue.path.length > 0 ? `${issue.path.join(".")}: ${issue.message}` : issue.message,
  );
  throw new InvalidDispatchArgumentError(`invalid ${what}: ${problems.join("; ")}`, { cause: parsed.error });
}
