import OpenAI from "openai";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { z } from "zod";
import { postJson, rejectionOf, sdkClients } from "../test/sdk-clients.ts";
import { type RunningSimulator, simMarker, startSimulator } from "./index.ts";
import { countTokens } from "./tokenizer.ts";

let sim: RunningSimulator;
let openai: OpenAI;

beforeAll(async () => {
  sim = await startSimulator({ latencyScale: 0 });
  ({ openai } = sdkClients(sim));
});
afterAll(() => sim.close());
beforeEach(() => sim.reset());

const question = "How should a job queue handle retries for flaky webhooks?";

describe("POST /v1/chat/completions through the openai SDK", () => {
  it("answers with a labelled chat.completion and consistent usage", async () => {
    const { data, response } = await openai.chat.completions
      .create({ model: "gpt-4o-mini", messages: [{ role: "user", content: question }] })
      .withResponse();
    expect(response.headers.get("x-llmr-simulator")).toBe("1");
    expect(response.headers.get("x-request-id")).toMatch(/^req_sim_/);
    expect(data.id).toMatch(/^chatcmpl-sim-/);
    expect(data.system_fingerprint).toBe("llmr-simulator");
    expect(data.model).toBe("gpt-4o-mini");
    const choice = data.choices[0];
    expect(choice?.finish_reason).toBe("stop");
    const content = choice?.message.content ?? "";
    expect(content).toMatch(/job queue|retries|webhooks/);
    expect(data.usage).toMatchObject({
      completion_tokens: countTokens(content),
      total_tokens: (data.usage?.prompt_tokens ?? 0) + countTokens(content),
    });
    expect(data.usage?.prompt_tokens).toBeGreaterThan(countTokens(question));
  });

  it("streams the same answer chunk by chunk, with usage last when asked", async () => {
    const request = { model: "gpt-4.1", messages: [{ role: "user" as const, content: question }] };
    const whole = await openai.chat.completions.create(request);
    const stream = await openai.chat.completions.create({
      ...request,
      stream: true,
      stream_options: { include_usage: true },
    });
    let text = "";
    const finishReasons: string[] = [];
    let usage: OpenAI.CompletionUsage | null | undefined;
    let chunks = 0;
    for await (const chunk of stream) {
      chunks++;
      expect(chunk.object).toBe("chat.completion.chunk");
      text += chunk.choices[0]?.delta.content ?? "";
      if (chunk.choices[0]?.finish_reason) finishReasons.push(chunk.choices[0].finish_reason);
      if (chunk.usage) usage = chunk.usage;
    }
    expect(text).toBe(whole.choices[0]?.message.content);
    expect(finishReasons).toEqual(["stop"]);
    expect(usage).toMatchObject({ completion_tokens: whole.usage?.completion_tokens });
    expect(chunks).toBeGreaterThan(3);
  });

  it("works with the SDK's stream helper", async () => {
    const runner = openai.chat.completions.stream({
      model: "gpt-4o",
      messages: [{ role: "user", content: question }],
      logprobs: true,
    });
    const final = await runner.finalChatCompletion();
    const choice = final.choices[0];
    expect(choice?.message.content?.length).toBeGreaterThan(10);
    expect(choice?.logprobs?.content?.map((entry) => entry.token).join("")).toBe(choice?.message.content);
  });

  it("returns high logprobs for confident answers and low ones for hedged answers", async () => {
    const ask = (model: string, difficulty: "easy" | "hard") =>
      openai.chat.completions.create({
        model,
        messages: [{ role: "user", content: `${question} ${simMarker({ difficulty })}` }],
        logprobs: true,
        top_logprobs: 3,
      });
    const confident = (await ask("gpt-5", "easy")).choices[0];
    const hedged = (await ask("gpt-4.1-nano", "hard")).choices[0];
    const confidentLogprobs = confident?.logprobs?.content ?? [];
    expect(confidentLogprobs.map((entry) => entry.token).join("")).toBe(confident?.message.content);
    for (const entry of confidentLogprobs) {
      expect(entry.logprob).toBeLessThanOrEqual(-0.01);
      expect(entry.logprob).toBeGreaterThanOrEqual(-0.2);
      expect(entry.top_logprobs).toHaveLength(3);
      expect(entry.bytes).toEqual([...Buffer.from(entry.token)]);
    }
    expect(hedged?.message.content).toMatch(/^I'm not sure, but/);
    for (const entry of hedged?.logprobs?.content ?? []) {
      expect(entry.logprob).toBeLessThanOrEqual(-1);
      expect(entry.logprob).toBeGreaterThanOrEqual(-3);
    }
  });

  it("returns JSON that validates against a json_schema, with the simulated confidence", async () => {
    const schema: Record<string, unknown> = {
      type: "object",
      properties: {
        category: { type: "string", enum: ["billing", "bug", "other"] },
        summary: { type: "string" },
        confidence: { type: "number", minimum: 0, maximum: 1 },
        steps: {
          type: "array",
          items: { type: "object", properties: { n: { type: "integer" } }, required: ["n"] },
        },
      },
      required: ["category", "summary", "confidence", "steps"],
      additionalProperties: false,
    };
    const { data, response } = await openai.chat.completions
      .create({
        model: "gpt-4.1-mini",
        messages: [{ role: "user", content: "Classify this ticket: I was charged twice." }],
        response_format: { type: "json_schema", json_schema: { name: "ticket", strict: true, schema } },
      })
      .withResponse();
    const parsed: unknown = JSON.parse(data.choices[0]?.message.content ?? "");
    expect(() => z.fromJSONSchema(schema).parse(parsed)).not.toThrow();
    expect(parsed).toMatchObject({ confidence: Number(response.headers.get("x-llmr-sim-confidence")) });
  });

  it("returns a JSON object for json_object and refuses it when the prompt never says JSON", async () => {
    const ok = await openai.chat.completions.create({
      model: "gpt-4o-mini",
      messages: [{ role: "user", content: "Answer in JSON: what is a queue?" }],
      response_format: { type: "json_object" },
    });
    expect(JSON.parse(ok.choices[0]?.message.content ?? "")).toMatchObject({ answer: expect.any(String) });
    const error = await rejectionOf(
      openai.chat.completions.create({
        model: "gpt-4o-mini",
        messages: [{ role: "user", content: "What is a queue?" }],
        response_format: { type: "json_object" },
      }),
    );
    expect(error).toBeInstanceOf(OpenAI.BadRequestError);
  });

  it("cuts the answer at max_completion_tokens with finish_reason length", async () => {
    const data = await openai.chat.completions.create({
      model: "gpt-5",
      messages: [{ role: "user", content: question }],
      max_completion_tokens: 5,
    });
    expect(data.choices[0]?.finish_reason).toBe("length");
    expect(data.usage?.completion_tokens).toBe(5);
  });

  it("lists its models in OpenAI's shape", async () => {
    const ids: string[] = [];
    for await (const model of openai.models.list()) ids.push(model.id);
    expect(ids).toEqual(expect.arrayContaining(["gpt-4o-mini", "gpt-5", "claude-haiku-4-5", "sim-small"]));
    await expect(openai.models.retrieve("sim-large")).resolves.toMatchObject({ object: "model" });
  });
});

describe("OpenAI-shaped errors", () => {
  const errorShape = {
    error: { message: expect.any(String), type: "invalid_request_error", param: null, code: null },
  };
  const body = JSON.stringify({ model: "gpt-4o-mini", messages: [{ role: "user", content: "hi" }] });

  it("401 without a bearer key", async () => {
    const answer = await postJson(sim, "/v1/chat/completions", body);
    expect(answer.status).toBe(401);
    expect(answer.json).toEqual(errorShape);
    expect(answer.headers.get("x-llmr-simulator")).toBe("1");
  });

  it("404 for an unknown model", async () => {
    const error = await rejectionOf(
      openai.chat.completions.create({ model: "gpt-9-ultra", messages: [{ role: "user", content: "hi" }] }),
    );
    expect(error).toBeInstanceOf(OpenAI.NotFoundError);
    expect(error).toMatchObject({ status: 404, code: "model_not_found", type: "invalid_request_error" });
  });

  it("400 for a body that is not JSON", async () => {
    const answer = await postJson(sim, "/v1/chat/completions", "{nope", { authorization: "Bearer sk-test" });
    expect(answer.status).toBe(400);
    expect(answer.json).toEqual(errorShape);
  });

  it("400 naming the parameter that breaks the schema", async () => {
    const error = await rejectionOf(
      openai.chat.completions.create({
        model: "gpt-4o-mini",
        messages: [{ role: "user", content: "hi" }],
        temperature: 7,
      }),
    );
    expect(error).toBeInstanceOf(OpenAI.BadRequestError);
    expect(error).toMatchObject({ status: 400, param: "temperature" });
  });

  it("400 for a marker with an unknown key", async () => {
    const error = await rejectionOf(
      openai.chat.completions.create({
        model: "gpt-4o-mini",
        messages: [{ role: "user", content: "hi [[sim faul=429]]" }],
      }),
    );
    expect(error).toBeInstanceOf(OpenAI.BadRequestError);
    expect(String((error as Error).message)).toContain("faul");
  });
});
