import { z } from "zod";

/**
 * The body of `POST /v1/jobs` as the public contract defines it. Unknown fields are refused, like
 * OpenAI's API does, so a typo (`max_tokens`) gets a 400 naming it instead of being ignored.
 */

export const MessageSchema = z.strictObject({
  role: z.enum(["system", "user", "assistant"]),
  content: z.string().min(1, "must not be empty"),
});

const JsonSchemaFormat = z.strictObject({
  type: z.literal("json_schema"),
  json_schema: z.strictObject({
    name: z.string().regex(/^[a-zA-Z0-9_-]{1,64}$/, "1-64 letters, digits, '_' or '-'"),
    description: z.string().optional(),
    schema: z.record(z.string(), z.unknown()),
    strict: z.boolean().optional(),
  }),
});

export const ResponseFormatSchema = z.discriminatedUnion("type", [
  z.strictObject({ type: z.literal("text") }),
  z.strictObject({ type: z.literal("json_object") }),
  JsonSchemaFormat,
]);

const Metadata = z
  .record(
    z.string().min(1).max(40, "keys are at most 40 characters"),
    z.string().max(500, "at most 500 characters"),
  )
  .refine((map) => Object.keys(map).length <= 50, "at most 50 keys");

export const JobRequestSchema = z
  .strictObject({
    class: z.enum(["interactive", "batch"]).default("interactive"),
    task: z.string().min(1).optional(),
    messages: z.array(MessageSchema).min(1, "must hold at least one message").max(2000).optional(),
    input: z.string().min(1, "must not be empty").optional(),
    response_format: ResponseFormatSchema.optional(),
    max_output_tokens: z.number().int().min(1).max(1_000_000).optional(),
    temperature: z.number().min(0).max(2).optional(),
    tier: z.string().min(1).optional(),
    max_tier: z.string().min(1).optional(),
    timeouts: z
      .strictObject({
        soft_ms: z.number().int().min(1).optional(),
        hard_ms: z.number().int().min(1).optional(),
      })
      .refine((t) => t.soft_ms === undefined || t.hard_ms === undefined || t.soft_ms < t.hard_ms, {
        message: "soft_ms must be smaller than hard_ms",
        path: ["soft_ms"],
      })
      .optional(),
    webhook: z
      .strictObject({ url: z.url({ protocol: /^https?$/, error: "must be an http(s) URL" }) })
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
