/**
 * Turns zod failures into the one-line, path-naming messages the vendors use
 * (`messages[0].content: Invalid input`), plus the failing path on its own for OpenAI's `param`.
 */
import type { z } from "zod";

/** A validation outcome that never throws. */
export type Validated<T> = { ok: true; value: T } | { ok: false; message: string; param: string | null };

/** `["messages", 0, "content"]` → `messages[0].content`. */
export function formatPath(path: ReadonlyArray<PropertyKey>): string {
  let text = "";
  for (const segment of path) {
    if (typeof segment === "number") text += `[${segment}]`;
    else text += text.length === 0 ? String(segment) : `.${String(segment)}`;
  }
  return text;
}

/** Parses `input` with `schema` and reports the first few issues by path. */
export function validate<T>(schema: z.ZodType<T>, input: unknown): Validated<T> {
  const result = schema.safeParse(input);
  if (result.success) return { ok: true, value: result.data };
  const issues = result.error.issues.slice(0, 3);
  const message = issues
    .map((issue) => {
      const path = formatPath(issue.path);
      // Say "Field required" (the vendors' wording) rather than zod's "expected X, received undefined".
      const text =
        issue.code === "invalid_type" && issue.message.endsWith("received undefined")
          ? "Field required"
          : issue.message;
      return path.length > 0 ? `${path}: ${text}` : text;
    })
    .join("; ");
  const first = issues[0];
  const param = first && first.path.length > 0 ? formatPath(first.path) : null;
  return { ok: false, message, param };
}
