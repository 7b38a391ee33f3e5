import type {
  ChatCompletionCreateParamsNonStreaming,
  ChatCompletionMessageParam,
} from "openai/resources/chat/completions";
import type { ChatMessage, CompletionRequest, ResponseFormat } from "../types.ts";

/**
 * Which body field carries the output-token limit. OpenAI deprecated `max_tokens` for
 * `max_completion_tokens` (reasoning models reject the old one), while OpenAI-compatible servers
 * (Ollama, vLLM, llama.cpp server) only know `max_tokens`.
 */
export type TokenLimitParam = "max_completion_tokens" | "max_tokens";

/** Builds a Chat Completions request body from a normalised request. */
export function toOpenAIChatRequest(
  request: CompletionRequest,
  tokenLimitParam: TokenLimitParam,
): ChatCompletionCreateParamsNonStreaming {
  const body: ChatCompletionCreateParamsNonStreaming = {
    model: request.model,
    messages: request.messages.map(toOpenAIMessage),
    [tokenLimitParam]: request.maxOutputTokens,
  };
  if (request.temperature !== undefined) body.temperature = request.temperature;
  if (request.responseFormat !== undefined)
    body.response_format = toOpenAIResponseFormat(request.responseFormat);
  // Only the sampled token's logprob is mapped, so alternatives (`top_logprobs`) are not asked for.
  if (request.logprobs === true) body.logprobs = true;
  return body;
}

function toOpenAIMessage(message: ChatMessage): ChatCompletionMessageParam {
  // `system` rather than the newer `developer`: OpenAI still accepts it, compatible servers only know it.
  switch (message.role) {
    case "system":
      return { role: "system", content: message.content };
    case "user":
      return { role: "user", content: message.content };
    case "assistant":
      return { role: "assistant", content: message.content };
  }
}

function toOpenAIResponseFormat(
  format: ResponseFormat,
): NonNullable<ChatCompletionCreateParamsNonStreaming["response_format"]> {
  switch (format.type) {
    case "text":
      return { type: "text" };
    case "json_object":
      return { type: "json_object" };
    case "json_schema": {
      const { name, schema, strict, description } = format.json_schema;
      return {
        type: "json_schema",
        json_schema: {
          name,
          schema,
          ...(strict !== undefined ? { strict } : {}),
          ...(description !== undefined ? { description } : {}),
        },
      };
    }
  }
}
