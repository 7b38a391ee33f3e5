import { describe, expect, it } from "vitest";
import type { CompletionRequest } from "../types.ts";
import { extractJsonAnswer, jsonObjectInstruction, toAnthropicMessagesRequest } from "./map-request.ts";

const base: CompletionRequest = {
  model: "claude-haiku-4-5",
  messages: [
    { role: "system", content: "Be brief." },
    { role: "user", content: "Hi" },
    { role: "system", content: "Answer in French." },
    { role: "assistant", content: "Bonjour." },
    { role: "user", content: "Encore" },
  ],
  maxOutputTokens: 64,
};

describe("toAnthropicMessagesRequest", () => {
  it("moves system messages to `system` and keeps the others in order", () => {
    expect(toAnthropicMessagesRequest(base)).toEqual({
      model: "claude-haiku-4-5",
      max_tokens: 64,
      system: "Be brief.\n\nAnswer in French.",
      messages: [
        { role: "user", content: "Hi" },
        { role: "assistant", content: "Bonjour." },
        { role: "user", content: "Encore" },
      ],
    });
  });

  it("sends no system field when there is nothing to say", () => {
    const body = toAnthropicMessagesRequest({ ...base, messages: [{ role: "user", content: "Hi" }] });
    expect(body).not.toHaveProperty("system");
  });

  it("maps json_schema to native structured outputs, leaving system alone", () => {
    const schema = { type: "object", properties: { ok: { type: "boolean" } }, required: ["ok"] };
    const body = toAnthropicMessagesRequest({
      ...base,
      responseFormat: { type: "json_schema", json_schema: { name: "verdict", schema } },
    });
    expect(body.output_config).toEqual({ format: { type: "json_schema", schema } });
    expect(body.system).toBe("Be brief.\n\nAnswer in French.");
  });

  it("asks for a JSON object in words for json_object, and for nothing with text", () => {
    const asked = toAnthropicMessagesRequest({ ...base, responseFormat: { type: "json_object" } });
    expect(asked.system).toBe(`Be brief.\n\nAnswer in French.\n\n${jsonObjectInstruction}`);
    expect(asked).not.toHaveProperty("output_config");
    const text = toAnthropicMessagesRequest({ ...base, responseFormat: { type: "text" } });
    expect(text.system).toBe("Be brief.\n\nAnswer in French.");
    expect(text).not.toHaveProperty("output_config");
  });

  it("drops what the Messages API does not take (logprobs, temperature)", () => {
    const body = toAnthropicMessagesRequest({ ...base, logprobs: true, temperature: 0.2 });
    expect(body).not.toHaveProperty("logprobs");
    expect(body).not.toHaveProperty("temperature");
  });
});

describe("extractJsonAnswer", () => {
  it("unwraps a single fenced answer", () => {
    expect(extractJsonAnswer('```json\n{"ok": true}\n```')).toBe('{"ok": true}');
    expect(extractJsonAnswer("  ```\n[1, 2]\n```\n")).toBe("[1, 2]");
  });

  it("leaves bare JSON and prose untouched", () => {
    expect(extractJsonAnswer('{"ok": true}')).toBe('{"ok": true}');
    expect(extractJsonAnswer('Here: ```json\n{"ok": true}\n```')).toBe('Here: ```json\n{"ok": true}\n```');
  });
});
