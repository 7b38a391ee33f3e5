import Anthropic from "@anthropic-ai/sdk";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { z } from "zod";
import { postJson, rejectionOf, sdkClients } from "../test/sdk-clients.ts";
import { type RunningSimulator, simMarker, startSimulator } from "./index.ts";
import { countTokens } from "./tokenizer.ts";

let sim: RunningSimulator;
let anthropic: Anthropic;

beforeAll(async () => {
  sim = await startSimulator({ latencyScale: 0 });
  ({ anthropic } = sdkClients(sim));
});
afterAll(() => sim.close());
beforeEach(() => sim.reset());

const question = "What should a dead-letter queue keep about each failed job?";
const request = {
  model: "claude-haiku-4-5",
  max_tokens: 400,
  messages: [{ role: "user" as const, content: question }],
};

const article = [
  "Batch jobs fail for many reasons. Some failures are transient and vanish on retry.",
  "Others are permanent. Retrying them only wastes money and delays the queue.",
  "A router must tell them apart. It should retry the first kind and park the second.",
].join("\n\n");

describe("POST /v1/messages through the @anthropic-ai/sdk", () => {
  it("answers with a labelled message and its usage", async () => {
    const { data, response } = await anthropic.messages.create(request).withResponse();
    expect(response.headers.get("x-llmr-simulator")).toBe("1");
    expect(response.headers.get("request-id")).toMatch(/^req_sim_/);
    expect(data).toMatchObject({
      type: "message",
      role: "assistant",
      model: "claude-haiku-4-5",
      stop_reason: "end_turn",
    });
    expect(data.id).toMatch(/^msg_sim_/);
    const block = data.content[0];
    expect(block?.type).toBe("text");
    const text = block?.type === "text" ? block.text : "";
    expect(text).toMatch(/dead-letter queue|failed job/);
    expect(data.usage.output_tokens).toBe(countTokens(text));
    expect(data.usage.input_tokens).toBeGreaterThan(countTokens(question));
  });

  it("streams the full event sequence and the same text", async () => {
    const whole = await anthropic.messages.create(request);
    const stream = await anthropic.messages.create({ ...request, stream: true });
    const types: string[] = [];
    let text = "";
    let stopReason: string | null = null;
    let outputTokens = 0;
    for await (const event of stream) {
      types.push(event.type);
      if (event.type === "content_block_delta" && event.delta.type === "text_delta") text += event.delta.text;
      if (event.type === "message_delta") {
        stopReason = event.delta.stop_reason;
        outputTokens = event.usage.output_tokens;
      }
    }
    const deltas = types.filter((type) => type === "content_block_delta").length;
    expect(types).toEqual([
      "message_start",
      "content_block_start",
      ...Array.from({ length: deltas }, () => "content_block_delta"),
      "content_block_stop",
      "message_delta",
      "message_stop",
    ]);
    expect(text).toBe(whole.content[0]?.type === "text" ? whole.content[0].text : "");
    expect(stopReason).toBe("end_turn");
    expect(outputTokens).toBe(whole.usage.output_tokens);
  });

  it("works with the SDK's MessageStream helper", async () => {
    const whole = await anthropic.messages.create(request);
    const final = await anthropic.messages.stream(request).finalMessage();
    expect(final.content).toEqual(whole.content);
    expect(final.usage).toMatchObject({
      input_tokens: whole.usage.input_tokens,
      output_tokens: whole.usage.output_tokens,
    });
  });

  it("stops at max_tokens with stop_reason max_tokens", async () => {
    const data = await anthropic.messages.create({ ...request, model: "claude-opus-4-1", max_tokens: 4 });
    expect(data.stop_reason).toBe("max_tokens");
    expect(data.usage.output_tokens).toBe(4);
  });

  it("summarises extractively when the system prompt asks for a summary", async () => {
    const data = await anthropic.messages.create({
      ...request,
      system: "You summarize documents.",
      messages: [{ role: "user", content: article }],
    });
    const text = data.content[0]?.type === "text" ? data.content[0].text : "";
    expect(text).toBe(
      "Batch jobs fail for many reasons. Others are permanent. A router must tell them apart.",
    );
    expect(countTokens(text)).toBeLessThan(countTokens(article));
  });

  it("returns schema-valid JSON for output_config.format", async () => {
    const schema: Record<string, unknown> = {
      type: "object",
      properties: {
        answer: { type: "string" },
        confidence: { type: "number" },
        tags: { type: "array", items: { type: "string" } },
      },
      required: ["answer", "confidence", "tags"],
      additionalProperties: false,
    };
    const data = await anthropic.messages.create({
      ...request,
      output_config: { format: { type: "json_schema", schema } },
    });
    const text = data.content[0]?.type === "text" ? data.content[0].text : "";
    expect(() => z.fromJSONSchema(schema).parse(JSON.parse(text))).not.toThrow();
  });

  it("lists its models in Anthropic's shape", async () => {
    const ids: string[] = [];
    for await (const model of anthropic.models.list()) ids.push(model.id);
    expect(ids).toEqual(expect.arrayContaining(["claude-haiku-4-5", "claude-opus-4-1", "gpt-4o-mini"]));
    await expect(anthropic.models.retrieve("sim-small")).resolves.toMatchObject({
      type: "model",
      id: "sim-small",
    });
  });

  it("hedges on a hard request with a cheap model", async () => {
    const data = await anthropic.messages.create({
      ...request,
      model: "sim-small",
      messages: [{ role: "user", content: `${question} ${simMarker({ difficulty: "hard" })}` }],
    });
    expect(data.content[0]?.type === "text" && data.content[0].text).toMatch(/^I'm not sure, but/);
  });
});

describe("Anthropic-shaped errors", () => {
  const errorShape = (type: string) => ({
    type: "error",
    error: { type, message: expect.any(String) },
    request_id: expect.stringMatching(/^req_sim_/),
  });

  it("400 when max_tokens is missing", async () => {
    const body = JSON.stringify({ model: "claude-haiku-4-5", messages: [{ role: "user", content: "hi" }] });
    const answer = await postJson(sim, "/v1/messages", body, { "x-api-key": "sk-ant-test" });
    expect(answer.status).toBe(400);
    expect(answer.json).toEqual(errorShape("invalid_request_error"));
    expect(JSON.stringify(answer.json)).toContain("max_tokens: Field required");
  });

  it("401 without x-api-key or bearer token", async () => {
    const answer = await postJson(sim, "/v1/messages", JSON.stringify(request));
    expect(answer.status).toBe(401);
    expect(answer.json).toEqual(errorShape("authentication_error"));
  });

  it("accepts the documented x-api-key header", async () => {
    const answer = await postJson(sim, "/v1/messages", JSON.stringify(request), {
      "x-api-key": "sk-ant-test",
    });
    expect(answer.status).toBe(200);
  });

  it("404 for an unknown model, as the SDK's NotFoundError", async () => {
    const error = await rejectionOf(anthropic.messages.create({ ...request, model: "claude-nonexistent" }));
    expect(error).toBeInstanceOf(Anthropic.NotFoundError);
    expect(error).toMatchObject({ status: 404, type: "not_found_error" });
  });

  it("400 for a body that is not JSON", async () => {
    const answer = await postJson(sim, "/v1/messages", "{", { "x-api-key": "sk-ant-test" });
    expect(answer.status).toBe(400);
    expect(answer.json).toEqual(errorShape("invalid_request_error"));
  });
});
