import { describe, expect, it } from "vitest";
import type { CompletionRequest } from "../types.ts";
import { toOpenAIChatRequest } from "./map-request.ts";

const base: CompletionRequest = {
  model: "gpt-4o-mini",
  messages: [
    { role: "system", content: "Be brief." },
    { role: "user", content: "Hi" },
    { role: "assistant", content: "Hello." },
    { role: "user", content: "Again" },
  ],
  maxOutputTokens: 64,
};

describe("toOpenAIChatRequest", () => {
  it("keeps messages in order with their roles and sends max_completion_tokens", () => {
    expect(toOpenAIChatRequest(base, "max_completion_tokens")).toEqual({
      model: "gpt-4o-mini",
      messages: base.messages,
      max_completion_tokens: 64,
    });
  });

  it("sends max_tokens instead for OpenAI-compatible servers", () => {
    const body = toOpenAIChatRequest(base, "max_tokens");
    expect(body.max_tokens).toBe(64);
    expect(body).not.toHaveProperty("max_completion_tokens");
  });

  it("passes temperature through, including 0", () => {
    expect(toOpenAIChatRequest({ ...base, temperature: 0 }, "max_tokens").temperature).toBe(0);
  });

  it("maps json_schema to response_format with its schema", () => {
    const schema = { type: "object", properties: { ok: { type: "boolean" } }, required: ["ok"] };
    const body = toOpenAIChatRequest(
      {
        ...base,
        responseFormat: { type: "json_schema", json_schema: { name: "verdict", schema, strict: true } },
      },
      "max_completion_tokens",
    );
    expect(body.response_format).toEqual({
      type: "json_schema",
      json_schema: { name: "verdict", schema, strict: true },
    });
  });

  it("maps json_object", () => {
    const body = toOpenAIChatRequest(
      { ...base, responseFormat: { type: "json_object" } },
      "max_completion_tokens",
    );
    expect(body.response_format).toEqual({ type: "json_object" });
  });

  it("asks for logprobs only when requested", () => {
    expect(toOpenAIChatRequest({ ...base, logprobs: true }, "max_completion_tokens").logprobs).toBe(true);
    expect(toOpenAIChatRequest(base, "max_completion_tokens")).not.toHaveProperty("logprobs");
  });
});
