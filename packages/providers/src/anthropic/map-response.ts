import { z } from "zod";
import { normalizeFinishReason } from "../internal/finish-reason.ts";
import { parseResponseBody } from "../internal/parse-response-body.ts";
import type { CompletionRequest, CompletionResult } from "../types.ts";
import { extractJsonAnswer } from "./map-request.ts";

/** The fields of a Messages API response the adapter reads; unknown fields and block types are ignored. */
const messageSchema = z.object({
  model: z.string(),
  stop_reason: z.string().nullish(),
  content: z.array(z.object({ type: z.string(), text: z.string().optional() })),
  usage: z.object({
    input_tokens: z.number(),
    output_tokens: z.number(),
    cache_creation_input_tokens: z.number().nullish(),
    cache_read_input_tokens: z.number().nullish(),
  }),
});

/** Maps a Messages API response body to the normalised result; throws a classified error if its shape is wrong. */
export function fromAnthropicMessage(
  body: unknown,
  request: CompletionRequest,
  providerId: string,
): CompletionResult {
  const message = parseResponseBody(messageSchema, body, providerId);
  // Only text blocks are the answer (thinking and tool blocks are not); several are concatenated.
  const text = message.content
    .filter((block) => block.type === "text")
    .map((block) => block.text ?? "")
    .join("");
  const wantsJson = request.responseFormat !== undefined && request.responseFormat.type !== "text";
  const { usage } = message;
  return {
    text: wantsJson ? extractJsonAnswer(text) : text,
    finishReason: normalizeFinishReason(message.stop_reason),
    rawFinishReason: message.stop_reason ?? "unknown",
    usage: {
      // `input_tokens` excludes prompt-cache writes and reads; they are input too (OpenAI's
      // `prompt_tokens` counts cached tokens), so the total is reported.
      inputTokens:
        usage.input_tokens + (usage.cache_creation_input_tokens ?? 0) + (usage.cache_read_input_tokens ?? 0),
      outputTokens: usage.output_tokens,
    },
    model: message.model,
  };
}
