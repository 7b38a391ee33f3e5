/**
 * The Anthropic Messages request body: validated with zod (unknown fields accepted, `max_tokens`
 * required as the real API requires it) and normalised into a {@link SimRequest}.
 */
import { z } from "zod";
import type { OutputFormat } from "./compose-answer.ts";
import type { ChatTurn, SimRequest } from "./simulate.ts";
import { type Validated, validate } from "./validation.ts";

const textBlock = z.looseObject({ type: z.literal("text"), text: z.string() });

const contentBlock = z.union([
  textBlock,
  // Images, documents and tool blocks are accepted and ignored: the simulator only reads text.
  z.looseObject({ type: z.string() }),
]);

const messageParam = z.looseObject({
  // The SDK's types allow `system` turns inside `messages` too; they join the system prompt.
  role: z.enum(["user", "assistant", "system"]),
  content: z.union([z.string(), z.array(contentBlock)]),
});

const anthropicRequest = z.looseObject({
  model: z.string().min(1),
  max_tokens: z.number().int().min(1),
  messages: z.array(messageParam).min(1),
  system: z.union([z.string(), z.array(textBlock)]).optional(),
  temperature: z.number().min(0).max(1).optional(),
  stream: z.boolean().optional(),
  output_config: z
    .looseObject({
      format: z
        .looseObject({ type: z.literal("json_schema"), schema: z.record(z.string(), z.unknown()) })
        .nullable()
        .optional(),
    })
    .optional(),
});

/** Parses and normalises a Messages body (markers still in the texts). */
export function parseAnthropicRequest(body: unknown): Validated<SimRequest> {
  const result = validate(anthropicRequest, body);
  if (!result.ok) return result;
  const request = result.value;
  const system: string[] = [];
  if (request.system !== undefined) system.push(textOf(request.system));
  const messages: ChatTurn[] = [];
  for (const entry of request.messages) {
    const content = textOf(entry.content);
    if (entry.role === "system") system.push(content);
    else messages.push({ role: entry.role, content });
  }
  const schema = request.output_config?.format?.schema;
  const format: OutputFormat = schema ? { type: "json_schema", schema } : { type: "text" };
  return {
    ok: true,
    value: {
      model: request.model,
      system: system.filter(Boolean).join("\n\n"),
      messages,
      maxOutputTokens: request.max_tokens,
      temperature: request.temperature,
      format,
      // The Messages API has no log probabilities.
      logprobs: false,
      topLogprobs: 0,
      stream: request.stream === true,
      includeUsage: false,
    },
  };
}

function textOf(content: string | ReadonlyArray<{ type: string; text?: unknown }>): string {
  if (typeof content === "string") return content;
  return content
    .map((block) => (block.type === "text" && typeof block.text === "string" ? block.text : ""))
    .filter(Boolean)
    .join("\n");
}
