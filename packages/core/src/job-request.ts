import { z } from "zod";

/**
 * The body of `POST /v1/jobs` as the public contract defines it. Unknown fields are refused, like
 * OpenAI's API does, so a typo (`max_tokens`) gets a 400 naming it instead of being ignored.
 * Every size is bounded here, not only by the API's body limit, so that a job stays cheap to store,
 * hash and route whichever border it came through.
 */

/** Names of tasks and tiers: longer ones cannot exist in a config, and they are echoed in errors. */
const NAME_MAX_CHARS = 100;
/** Nesting of a response JSON schema; real ones use a handful of levels (OpenAI allows 10 objects deep). */
const JSON_SCHEMA_MAX_DEPTH = 32;
/** A response JSON schema, serialized; OpenAI's structured outputs stop well below this. */
const JSON_SCHEMA_MAX_CHARS = 100_000;
/** One day: no single provider call is worth waiting longer, and Node timers overflow past ~24.8 days. */
const TIMEOUT_MAX_MS = 86_400_000;
/** Browsers and most proxies stop at about this URL length. */
const URL_MAX_CHARS = 2_048;

export const MessageSchema = z.strictObject({
  role: z.enum(["system", "user", "assistant"]),
  // NUL and other control characters are valid JSON text: JSON escapes them and Redis is binary
  // safe, so they are passed on as sent rather than refused (a vendor that minds says so itself).
  content: z.string().min(1, "must not be empty"),
});

/**
 * Levels of arrays and objects in a JSON value, counted without recursion so that no depth can
 * overflow the stack; stops counting past `limit`.
 */
function jsonDepth(value: unknown, limit: number): number {
  let deepest = 0;
  const pending: Array<[unknown, number]> = [[value, 1]];
  for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
    const [node, depth] = next;
    if (node === null || typeof node !== "object") continue;
    deepest = Math.max(deepest, depth);
    if (deepest > limit) return deepest;
    for (const child of Object.values(node)) pending.push([child, depth + 1]);
  }
  return deepest;
}

const ResponseJsonSchema = z.record(z.string(), z.unknown()).superRefine((schema, ctx) => {
  if (jsonDepth(schema, JSON_SCHEMA_MAX_DEPTH) > JSON_SCHEMA_MAX_DEPTH) {
    ctx.addIssue({ code: "custom", message: `must nest at most ${JSON_SCHEMA_MAX_DEPTH} levels deep` });
  } else if (JSON.stringify(schema).length > JSON_SCHEMA_MAX_CHARS) {
    // Only measured once the depth is known to be sane: JSON.stringify recurses.
    ctx.addIssue({ code: "custom", message: `must be at most ${JSON_SCHEMA_MAX_CHARS} characters as JSON` });
  }
});

const JsonSchemaFormat = z.strictObject({
  type: z.literal("json_schema"),
  json_schema: z.strictObject({
    name: z.string().regex(/^[a-zA-Z0-9_-]{1,64}$/, "1-64 letters, digits, '_' or '-'"),
    description: z.string().max(10_000).optional(),
    schema: ResponseJsonSchema,
    strict: z.boolean().optional(),
  }),
});

export const ResponseFormatSchema = z.discriminatedUnion("type", [
  z.strictObject({ type: z.literal("text") }),
  z.strictObject({ type: z.literal("json_object") }),
  JsonSchemaFormat,
]);

const Metadata = z
  .record(z.string().min(1).max(40), z.string().max(500))
  .refine((map) => Object.keys(map).length <= 50, "must hold at most 50 keys");

const name = () => z.string().min(1).max(NAME_MAX_CHARS);
const timeoutMs = () => z.number().int().min(1).max(TIMEOUT_MAX_MS);

export const JobRequestSchema = z
  .strictObject({
    class: z.enum(["interactive", "batch"]).default("interactive"),
    task: name().optional(),
    messages: z.array(MessageSchema).min(1, "must hold at least one message").max(2000).optional(),
    input: z.string().min(1, "must not be empty").optional(),
    response_format: ResponseFormatSchema.optional(),
    max_output_tokens: z.number().int().min(1).max(1_000_000).optional(),
    temperature: z.number().min(0).max(2).optional(),
    tier: name().optional(),
    max_tier: name().optional(),
    timeouts: z
      .strictObject({ soft_ms: timeoutMs().optional(), hard_ms: timeoutMs().optional() })
      .refine((t) => t.soft_ms === undefined || t.hard_ms === undefined || t.soft_ms < t.hard_ms, {
        message: "soft_ms must be smaller than hard_ms",
        path: ["soft_ms"],
      })
      .optional(),
    webhook: z
      .strictObject({
        url: z
          .url({ protocol: /^https?$/, error: "must be an http(s) URL" })
          .max(URL_MAX_CHARS, `must be at most ${URL_MAX_CHARS} characters long`),
      })
      .optional(),
    metadata: Metadata.optional(),
  })
  .superRefine((request, ctx) => {
    if (request.messages === undefined && request.input === undefined) {
      ctx.addIssue({
        code: "custom",
        path: ["messages"],
        message: "required: give either messages or input",
      });
    } else if (request.messages !== undefined && request.input !== undefined) {
      ctx.addIssue({ code: "custom", path: ["input"], message: "give either messages or input, not both" });
    }
  });

export type JobRequest = z.infer<typeof JobRequestSchema>;
export type ChatMessage = z.infer<typeof MessageSchema>;
export type ResponseFormat = z.infer<typeof ResponseFormatSchema>;
