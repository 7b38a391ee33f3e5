import { describe, expect, it } from "vitest";
import { RetryableProviderError } from "../errors/retryable-provider-error.ts";
import type { CompletionRequest } from "../types.ts";
import { fromAnthropicMessage } from "./map-response.ts";

const request: CompletionRequest = {
  model: "claude-haiku-4-5",
  messages: [{ role: "user", content: "Hi" }],
  maxOutputTokens: 64,
};

function message(extra: Record<string, unknown> = {}) {
  return {
    id: "msg_1",
    type: "message",
    role: "assistant",
    model: "claude-haiku-4-5-20251001",
    content: [{ type: "text", text: "Hello" }],
    stop_reason: "end_turn",
    stop_sequence: null,
    usage: {
      input_tokens: 10,
      output_tokens: 2,
      cache_creation_input_tokens: null,
      cache_read_input_tokens: null,
    },
    ...extra,
  };
}

describe("fromAnthropicMessage", () => {
  it("maps text, finish reason, usage and the reported model", () => {
    expect(fromAnthropicMessage(message(), request, "anthropic")).toEqual({
      text: "Hello",
      finishReason: "stop",
      rawFinishReason: "end_turn",
      usage: { inputTokens: 10, outputTokens: 2 },
      model: "claude-haiku-4-5-20251001",
    });
  });

  it.each([
    ["max_tokens", "length"],
    ["stop_sequence", "stop"],
    ["tool_use", "tool_calls"],
    ["refusal", "refusal"],
    ["model_context_window_exceeded", "length"],
    ["pause_turn", "other"],
  ])("normalises stop_reason %s to %s and keeps the raw one", (raw, normalised) => {
    const result = fromAnthropicMessage(message({ stop_reason: raw }), request, "anthropic");
    expect(result).toMatchObject({ finishReason: normalised, rawFinishReason: raw });
  });

  it("joins text blocks and skips the others", () => {
    const content = [
      { type: "thinking", thinking: "hmm", signature: "x" },
      { type: "text", text: "Hel" },
      { type: "text", text: "lo" },
    ];
    expect(fromAnthropicMessage(message({ content }), request, "anthropic").text).toBe("Hello");
  });

  it("counts prompt-cache tokens as input", () => {
    const usage = {
      input_tokens: 10,
      output_tokens: 2,
      cache_creation_input_tokens: 100,
      cache_read_input_tokens: 1000,
    };
    expect(fromAnthropicMessage(message({ usage }), request, "anthropic").usage).toEqual({
      inputTokens: 1110,
      outputTokens: 2,
    });
  });

  it("unwraps a fenced JSON answer only when JSON was asked for", () => {
    const content = [{ type: "text", text: '```json\n{"ok":true}\n```' }];
    const asked = { ...request, responseFormat: { type: "json_object" } as const };
    expect(fromAnthropicMessage(message({ content }), asked, "anthropic").text).toBe('{"ok":true}');
    expect(fromAnthropicMessage(message({ content }), request, "anthropic").text).toBe(
      '```json\n{"ok":true}\n```',
    );
  });

  it("rejects a body without usage as a retryable error naming the path", () => {
    expect(() => fromAnthropicMessage(message({ usage: undefined }), request, "anthropic")).toThrow(
      RetryableProviderError,
    );
    expect(() => fromAnthropicMessage(message({ usage: undefined }), request, "anthropic")).toThrow(/usage:/);
  });
});
