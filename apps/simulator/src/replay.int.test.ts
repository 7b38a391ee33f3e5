import { fileURLToPath } from "node:url";
import Anthropic from "@anthropic-ai/sdk";
import OpenAI from "openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { postJson, rejectionOf, sdkClients } from "../test/sdk-clients.ts";
import { ReplayFileError, type RunningSimulator, simMarker, startSimulator } from "./index.ts";
import { countTokens } from "./tokenizer.ts";

const fixture = fileURLToPath(new URL("../test/fixtures/replay-small.jsonl", import.meta.url));

let sim: RunningSimulator;
let openai: OpenAI;
let anthropic: Anthropic;

beforeAll(async () => {
  sim = await startSimulator({ latencyScale: 0, replay: { files: [fixture] } });
  ({ openai, anthropic } = sdkClients(sim));
});
afterAll(() => sim.close());

const apples = "Tom has 3 apples and buys 4 more.  How many apples does he have?";
const cheapApples = " Tom has 3 + 4 = 7 apples.\n#### 7";

describe("replay mode through the openai SDK", () => {
  it("answers a matching prompt with the requested model's recorded text, usage from the tokenizer", async () => {
    const { data, response } = await openai.chat.completions
      .create({ model: "replay-cheap", messages: [{ role: "user", content: apples }] })
      .withResponse();
    const choice = data.choices[0];
    expect(choice?.message.content).toBe(cheapApples);
    expect(choice?.finish_reason).toBe("stop");
    expect(data.model).toBe("replay-cheap");
    expect(data.usage?.completion_tokens).toBe(countTokens(cheapApples));
    expect(data.usage?.prompt_tokens).toBeGreaterThan(countTokens(apples));
    expect(response.headers.get("x-llmr-sim-replay")).toBe("1");
    expect(response.headers.get("x-llmr-sim-confidence")).toBeNull();

    const strong = await openai.chat.completions.create({
      model: "replay-strong",
      messages: [{ role: "user", content: apples }],
    });
    expect(strong.choices[0]?.message.content).toBe(
      "He has 3 apples, buys 4 more: 3 + 4 = 7. The answer is 7.",
    );
  });

  it("matches despite a system message the router prepends and a [[sim]] marker in the prompt", async () => {
    const answer = await openai.chat.completions.create({
      model: "replay-cheap",
      messages: [
        { role: "system", content: "Think step by step and give a final answer." },
        { role: "user", content: `${apples} ${simMarker({ latency_ms: 0 })}` },
      ],
    });
    expect(answer.choices[0]?.message.content).toBe(cheapApples);
  });

  it("streams the recorded text chunk by chunk, with usage last", async () => {
    const stream = await openai.chat.completions.create({
      model: "replay-strong",
      messages: [
        { role: "user", content: "A train travels 60 km per hour for 2.5 hours. How far does it go?" },
      ],
      stream: true,
      stream_options: { include_usage: true },
    });
    let text = "";
    let completionTokens: number | undefined;
    for await (const chunk of stream) {
      text += chunk.choices[0]?.delta.content ?? "";
      if (chunk.usage) completionTokens = chunk.usage.completion_tokens;
    }
    expect(text).toBe("Distance is speed times time: 60 * 2.5 = 150 km.");
    expect(completionTokens).toBe(countTokens(text));
  });

  it("cuts a recorded answer at the token limit with finish_reason length", async () => {
    const answer = await openai.chat.completions.create({
      model: "replay-strong",
      messages: [{ role: "user", content: apples }],
      max_completion_tokens: 3,
    });
    expect(answer.choices[0]?.message.content).toBe("He has 3");
    expect(answer.choices[0]?.finish_reason).toBe("length");
  });

  it("tells conversations with the same turns apart by their system prompt", async () => {
    const turns = [
      { role: "user" as const, content: "What colour is the sky?" },
      { role: "assistant" as const, content: "Blue." },
      { role: "user" as const, content: "And grass?" },
    ];
    const ask = (system: string) =>
      openai.chat.completions.create({
        model: "replay-cheap",
        messages: [{ role: "system", content: system }, ...turns],
      });
    expect((await ask("Answer in French.")).choices[0]?.message.content).toBe("Vert.");
    expect((await ask("Answer in one word.")).choices[0]?.message.content).toBe("Green.");
  });

  it("never sends the grader's fields: no gold, no verdict, no record id", async () => {
    const response = await postJson(
      sim,
      "/v1/chat/completions",
      JSON.stringify({
        model: "replay-cheap",
        messages: [
          { role: "user", content: "A train travels 60 km per hour for 2.5 hours. How far does it go?" },
        ],
      }),
      { authorization: "Bearer sk-test" },
    );
    const raw = `${JSON.stringify(response.json)} ${JSON.stringify([...response.headers])}`;
    expect(raw).toContain("120 km");
    expect(raw).not.toMatch(/GOLD-SENTINEL|correct|fx-1|cost_usd/);
  });
});

describe("replay mode: prompts without a recorded answer", () => {
  it("answers a replay-only model 404 'no recorded answer' in each vendor's error shape", async () => {
    const openAiError = await rejectionOf(
      openai.chat.completions.create({
        model: "replay-cheap",
        messages: [{ role: "user", content: "Hello?" }],
      }),
    );
    expect(openAiError).toBeInstanceOf(OpenAI.NotFoundError);
    expect((openAiError as InstanceType<typeof OpenAI.NotFoundError>).message).toMatch(
      /no recorded answer for this prompt/i,
    );
    expect((openAiError as InstanceType<typeof OpenAI.NotFoundError>).code).toBe("no_recorded_answer");

    const anthropicError = await rejectionOf(
      anthropic.messages.create({
        model: "replay-strong",
        max_tokens: 100,
        messages: [{ role: "user", content: "Hello?" }],
      }),
    );
    expect(anthropicError).toBeInstanceOf(Anthropic.NotFoundError);
    expect((anthropicError as InstanceType<typeof Anthropic.NotFoundError>).message).toMatch(
      /no recorded answer for this prompt/i,
    );
  });

  it("also answers 404 when the prompt is recorded but not for that replay-only model", async () => {
    const error = await rejectionOf(
      openai.chat.completions.create({
        model: "replay-strong",
        messages: [
          { role: "user", content: "What colour is the sky?" },
          { role: "assistant", content: "Blue." },
          { role: "user", content: "And grass?" },
        ],
      }),
    );
    expect(error).toBeInstanceOf(OpenAI.NotFoundError);
  });

  it("generates as usual for a built-in model, and replays its recorded answer where there is one", async () => {
    const generated = await openai.chat.completions.create({
      model: "gpt-4o-mini",
      messages: [{ role: "user", content: apples }],
    });
    expect(generated.choices[0]?.message.content).not.toBe(cheapApples);
    expect(generated.choices[0]?.message.content?.length).toBeGreaterThan(0);

    const recorded = await openai.chat.completions.create({
      model: "gpt-4o-mini",
      messages: [
        { role: "system", content: "Answer in one word." },
        { role: "user", content: "What colour is the sky?" },
        { role: "assistant", content: "Blue." },
        { role: "user", content: "And grass?" },
      ],
    });
    expect(recorded.choices[0]?.message.content).toBe("Green, recorded.");
  });
});

describe("replay mode through the @anthropic-ai/sdk", () => {
  it("answers with the recorded text, end_turn and usage, streamed or not", async () => {
    const request = {
      model: "replay-cheap",
      max_tokens: 200,
      messages: [{ role: "user" as const, content: apples }],
    };
    const message = await anthropic.messages.create(request);
    expect(message.content).toEqual([expect.objectContaining({ type: "text", text: cheapApples })]);
    expect(message.stop_reason).toBe("end_turn");
    expect(message.usage.output_tokens).toBe(countTokens(cheapApples));

    const streamed = await anthropic.messages.stream(request).finalMessage();
    expect(streamed.content).toEqual([expect.objectContaining({ type: "text", text: cheapApples })]);
  });
});

describe("replay options", () => {
  it("registers replay models in the model table, served on GET /v1/models", async () => {
    expect(sim.replay).toMatchObject({ conversations: 4 });
    expect(new Set(sim.replay?.models)).toEqual(new Set(["replay-cheap", "replay-strong", "gpt-4o-mini"]));
    const model = await openai.models.retrieve("replay-strong");
    expect(model.id).toBe("replay-strong");
  });

  it("refuses to start on a file that does not exist or a malformed line, naming it", async () => {
    await expect(startSimulator({ replay: { files: ["/nonexistent/replay.jsonl"] } })).rejects.toThrow(
      ReplayFileError,
    );
    const bad = fileURLToPath(new URL("../test/fixtures/replay-malformed.jsonl", import.meta.url));
    await expect(startSimulator({ replay: { files: [bad] } })).rejects.toThrow(
      /replay-malformed\.jsonl:2: responses\.m\.text/,
    );
  });
});
