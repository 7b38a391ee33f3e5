import { isUtf8 } from "node:buffer";
import { RequestValidationError } from "@llmr/core";
import type { RequestHandler } from "express";
import express from "express";

/**
 * Deepest nesting of arrays and objects a request body may have. A job needs about 4 levels plus
 * its response schema's (at most 32, checked by the schema with a clearer message); anything
 * deeper is an attack on whatever walks the body next with recursion (`JSON.stringify`, the
 * idempotency hash), which would otherwise die with a stack overflow and answer 5xx.
 */
export const MAX_JSON_DEPTH = 64;

/** What `verify` throws; the error middleware maps `type` to the answer. */
class BodyEncodingError extends Error {
  override readonly name = "BodyEncodingError";
  readonly type: "charset.unsupported" | "body.invalid_utf8";
  readonly charset: string | undefined;

  constructor(type: BodyEncodingError["type"], message: string, charset?: string) {
    super(message);
    this.type = type;
    this.charset = charset;
  }
}

/**
 * Reads `application/json` bodies: at most `limitBytes` (413 beyond), UTF-8 only (RFC 8259 §8.1:
 * JSON between systems is UTF-8; bytes that are not UTF-8 are refused with 400 instead of being
 * silently replaced by U+FFFD in the user's prompt), and nested at most {@link MAX_JSON_DEPTH}
 * levels (400 naming the top-level field).
 *
 * @example
 * ```ts
 * app.use(jsonBody(1_048_576));
 * ```
 */
export function jsonBody(limitBytes: number): RequestHandler[] {
  const parse = express.json({
    limit: limitBytes,
    type: "application/json",
    strict: true,
    verify: (_req, _res, body, encoding) => {
      if (encoding !== "utf-8") {
        throw new BodyEncodingError("charset.unsupported", `unsupported charset "${encoding}"`, encoding);
      }
      if (!isUtf8(body)) {
        throw new BodyEncodingError("body.invalid_utf8", "the request body is not valid UTF-8");
      }
    },
  });
  const limitDepth: RequestHandler = (req, _res, next) => {
    const field = tooDeep(req.body, MAX_JSON_DEPTH);
    if (field === undefined) {
      next();
      return;
    }
    const message = `nested more than ${MAX_JSON_DEPTH} levels deep; JSON bodies may nest at most ${MAX_JSON_DEPTH} levels`;
    next(new RequestValidationError([{ param: field, message }]));
  };
  return [parse, limitDepth];
}

/**
 * The top-level field (`""` for the body itself) under which `value` nests deeper than `limit`,
 * or undefined. Walks with its own stack, so no depth can overflow the call stack.
 */
function tooDeep(value: unknown, limit: number): string | undefined {
  if (value === null || typeof value !== "object") return undefined;
  const pending: Array<[node: unknown, depth: number, field: string]> = Array.isArray(value)
    ? [[value, 1, ""]]
    : Object.entries(value).map(([key, child]): [unknown, number, string] => [child, 2, key]);
  for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
    const [node, depth, field] = next;
    if (node === null || typeof node !== "object") continue;
    if (depth > limit) return field;
    for (const child of Object.values(node)) pending.push([child, depth + 1, field]);
  }
  return undefined;
}
