import { describe, expect, it } from "vitest";
import { RetryableProviderError } from "../errors/retryable-provider-error.ts";
import { fromOpenAIChatResponse } from "./map-response.ts";

function chatCompletion(choice: Record<string, unknown>, extra: Record<string, unknown> = {}) {
  return {
    id: "chatcmpl-1",
    object: "chat.completion",
    created: 0,
    model: "gpt-4o-mini-2024-07-18",
    choices: [
      {
        index: 0,
        finish_reason: "stop",
        logprobs: null,
        message: { role: "assistant", content: "Hi!", refusal: null },
        ...choice,
      },
    ],
    usage: { prompt_tokens: 12, completion_tokens: 3, total_tokens: 15 },
    ...extra,
  };
}

describe("fromOpenAIChatResponse", () => {
  it("maps text, finish reason, usage and the reported model", () => {
    expect(fromOpenAIChatResponse(chatCompletion({}), "openai")).toEqual({
      text: "Hi!",
      finishReason: "stop",
      rawFinishReason: "stop",
      usage: { inputTokens: 12, outputTokens: 3 },
      model: "gpt-4o-mini-2024-07-18",
    });
  });

  it.each([
    ["length", "length"],
    ["content_filter", "content_filter"],
    ["tool_calls", "tool_calls"],
    ["function_call", "tool_calls"],
    ["something_new", "other"],
  ])("normalises finish_reason %s to %s and keeps the raw one", (raw, normalised) => {
    const result = fromOpenAIChatResponse(chatCompletion({ finish_reason: raw }), "openai");
    expect(result.finishReason).toBe(normalised);
    expect(result.rawFinishReason).toBe(raw);
  });

  it("reports a refusal carried in message.refusal", () => {
    const result = fromOpenAIChatResponse(
      chatCompletion({ message: { role: "assistant", content: null, refusal: "I can't help with that." } }),
      "openai",
    );
    expect(result).toMatchObject({ text: "", finishReason: "refusal", rawFinishReason: "stop" });
  });

  it("maps logprobs.content to token logprobs", () => {
    const logprobs = {
      content: [
        { token: "Hi", logprob: -0.1, bytes: [72, 105], top_logprobs: [] },
        { token: "!", logprob: -0.02, bytes: [33], top_logprobs: [] },
      ],
    };
    expect(fromOpenAIChatResponse(chatCompletion({ logprobs }), "openai").logprobs).toEqual([
      { token: "Hi", logprob: -0.1 },
      { token: "!", logprob: -0.02 },
    ]);
  });

  it("tolerates a compatible server that sends no usage", () => {
    const result = fromOpenAIChatResponse(chatCompletion({}, { usage: undefined }), "local");
    expect(result.usage).toEqual({ inputTokens: 0, outputTokens: 0 });
  });

  it("rejects a body without choices as a retryable error naming the path", () => {
    const error = (() => {
      try {
        fromOpenAIChatResponse(chatCompletion({}, { choices: [] }), "local");
      } catch (caught) {
        return caught;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(RetryableProviderError);
    expect(error).toMatchObject({ providerId: "local", reason: "server_error" });
    expect((error as Error).message).toContain("choices:");
  });
});
