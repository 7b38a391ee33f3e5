/**
 * The OpenAI Chat Completions request body: validated with zod (unknown fields are accepted, as the
 * real API accepts many the simulator ignores) and normalised into a {@link SimRequest}.
 */
import { z } from "zod";
import type { OutputFormat } from "./compose-answer.ts";
import { maxTopLogprobs } from "./logprobs.ts";
import { stripMarkers } from "./marker.ts";
import type { ChatTurn, SimRequest } from "./simulate.ts";
import { type Validated, validate } from "./validation.ts";

const contentPart = z.union([
  z.looseObject({ type: z.literal("text"), text: z.string() }),
  // Images, audio and files are accepted and ignored: the simulator only reads text.
  z.looseObject({ type: z.string() }),
]);

const message = z.looseObject({
  role: z.enum(["system", "developer", "user", "assistant", "tool", "function"]),
  content: z.union([z.string(), z.array(contentPart), z.null()]).optional(),
});

const tokenLimit = z.number().int().min(1).nullable().optional();

const responseFormat = z.discriminatedUnion("type", [
  z.looseObject({ type: z.literal("text") }),
  z.looseObject({ type: z.literal("json_object") }),
  z.looseObject({
    type: z.literal("json_schema"),
    json_schema: z.looseObject({
      name: z.string().min(1).max(64),
      description: z.string().optional(),
      schema: z.record(z.string(), z.unknown()).optional(),
      strict: z.boolean().nullable().optional(),
    }),
  }),
]);

const openAiRequest = z
  .looseObject({
    model: z.string().min(1),
    messages: z.array(message).min(1),
    max_completion_tokens: tokenLimit,
    max_tokens: tokenLimit,
    temperature: z.number().min(0).max(2).nullable().optional(),
    logprobs: z.boolean().nullable().optional(),
    top_logprobs: z.number().int().min(0).max(maxTopLogprobs).nullable().optional(),
    response_format: responseFormat.optional(),
    stream: z.boolean().nullable().optional(),
    stream_options: z.looseObject({ include_usage: z.boolean().optional() }).nullable().optional(),
    n: z.literal(1, { error: "the simulator only supports n=1" }).nullable().optional(),
  })
  .superRefine((body, context) => {
    if (body.top_logprobs != null && body.top_logprobs > 0 && body.logprobs !== true) {
      context.addIssue({
        code: "custom",
        path: ["top_logprobs"],
        message: "'top_logprobs' requires 'logprobs' to be true",
      });
    }
    // The real API refuses json_object unless the prompt mentions JSON, to stop endless whitespace.
    const mentionsJson = body.messages.some((entry) =>
      /json/i.test(stripMarkers(textOf(entry.content)).text),
    );
    if (body.response_format?.type === "json_object" && !mentionsJson) {
      context.addIssue({
        code: "custom",
        path: ["messages"],
        message:
          "'messages' must contain the word 'json' in some form, to use 'response_format' of type 'json_object'.",
      });
    }
  });

type OpenAiRequest = z.infer<typeof openAiRequest>;

/** Parses and normalises a Chat Completions body (markers still in the texts). */
export function parseOpenAiRequest(body: unknown): Validated<SimRequest> {
  const result = validate(openAiRequest, body);
  if (!result.ok) return result;
  const request = result.value;
  const system: string[] = [];
  const messages: ChatTurn[] = [];
  for (const entry of request.messages) {
    const content = textOf(entry.content);
    if (entry.role === "system" || entry.role === "developer") system.push(content);
    // Tool results read as context from the user's side.
    else messages.push({ role: entry.role === "assistant" ? "assistant" : "user", content });
  }
  return {
    ok: true,
    value: {
      model: request.model,
      system: system.join("\n\n"),
      messages,
      maxOutputTokens: request.max_completion_tokens ?? request.max_tokens ?? undefined,
      temperature: request.temperature ?? undefined,
      format: outputFormat(request.response_format),
      logprobs: request.logprobs === true,
      topLogprobs: request.logprobs === true ? (request.top_logprobs ?? 0) : 0,
      stream: request.stream === true,
      includeUsage: request.stream_options?.include_usage === true,
    },
  };
}

function outputFormat(format: OpenAiRequest["response_format"]): OutputFormat {
  if (format?.type === "json_object") return { type: "json_object" };
  if (format?.type === "json_schema") {
    const schema = format.json_schema.schema;
    // A json_schema without a schema only promises "some JSON object".
    return schema ? { type: "json_schema", schema } : { type: "json_object" };
  }
  return { type: "text" };
}

/** The text of a message's content, whether a string or an array of parts. */
function textOf(content: z.infer<typeof message>["content"]): string {
  if (typeof content === "string") return content;
  if (!content) return "";
  return content
    .map((part) => (part.type === "text" && typeof part.text === "string" ? part.text : ""))
    .filter(Boolean)
    .join("\n");
}
