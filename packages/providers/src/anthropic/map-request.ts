import type { MessageCreateParamsNonStreaming, MessageParam } from "@anthropic-ai/sdk/resources/messages";
import type { CompletionRequest } from "../types.ts";

/**
 * Builds a Messages API request body from a normalised request.
 *
 * - System messages go to the top-level `system` field (the Messages API has no system role),
 *   joined by blank lines in their original order.
 * - `json_schema` uses the API's native structured outputs (`output_config.format`), which
 *   constrains decoding to the schema; the Messages API has no schema-free JSON mode, so
 *   `json_object` is asked for in words, appended to `system`, and {@link extractJsonAnswer}
 *   tidies the answer.
 * - `logprobs` is ignored: the Messages API does not offer them.
 * - `temperature` is ignored: the Messages API deprecated it and this SDK version no longer
 *   accepts it (current models pick their own sampling).
 */
export function toAnthropicMessagesRequest(request: CompletionRequest): MessageCreateParamsNonStreaming {
  const systemParts = request.messages
    .filter((message) => message.role === "system")
    .map((message) => message.content);
  if (request.responseFormat?.type === "json_object") systemParts.push(jsonObjectInstruction);

  const messages: MessageParam[] = [];
  for (const message of request.messages) {
    if (message.role !== "system") messages.push({ role: message.role, content: message.content });
  }

  const body: MessageCreateParamsNonStreaming = {
    model: request.model,
    max_tokens: request.maxOutputTokens,
    messages,
  };
  if (systemParts.length > 0) body.system = systemParts.join("\n\n");
  if (request.responseFormat?.type === "json_schema") {
    body.output_config = {
      format: { type: "json_schema", schema: request.responseFormat.json_schema.schema },
    };
  }
  return body;
}

/** Stands in for a JSON mode the Messages API does not have. */
export const jsonObjectInstruction =
  "Answer only with a single JSON object: no prose before or after it, no Markdown code fences.";

/** A whole answer wrapped in one Markdown code fence (```json ... ```). */
const fencedAnswer = /^\s*```[A-Za-z]*\s*\n([\s\S]*?)\n?\s*```\s*$/;

/**
 * Models asked for JSON in words sometimes wrap it in a code fence anyway; unwrap that one case so
 * the answer parses. Anything else is returned untouched for the router's validator to judge.
 */
export function extractJsonAnswer(text: string): string {
  const fenced = fencedAnswer.exec(text);
  return fenced?.[1] !== undefined ? fenced[1].trim() : text;
}
