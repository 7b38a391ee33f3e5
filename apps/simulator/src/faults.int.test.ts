import Anthropic from "@anthropic-ai/sdk";
import OpenAI from "openai";
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { rejectionOf, sdkClients } from "../test/sdk-clients.ts";
import { type RunningSimulator, type SimMarkerInput, simMarker, startSimulator } from "./index.ts";

let sim: RunningSimulator;
let openai: OpenAI;
let anthropic: Anthropic;

beforeAll(async () => {
  sim = await startSimulator({ latencyScale: 0 });
  ({ openai, anthropic } = sdkClients(sim));
});
afterAll(() => sim.close());
beforeEach(() => sim.reset());

const askOpenAi = (marker: SimMarkerInput, options: { signal?: AbortSignal; client?: OpenAI } = {}) =>
  (options.client ?? openai).chat.completions.create(
    { model: "gpt-4o-mini", messages: [{ role: "user", content: `Explain backoff ${simMarker(marker)}` }] },
    { signal: options.signal },
  );

const askAnthropic = (marker: SimMarkerInput, options: { signal?: AbortSignal; client?: Anthropic } = {}) =>
  (options.client ?? anthropic).messages.create(
    {
      model: "claude-haiku-4-5",
      max_tokens: 200,
      messages: [{ role: "user", content: `Explain backoff ${simMarker(marker)}` }],
    },
    { signal: options.signal },
  );

describe("status faults surface as each SDK's error class", () => {
  it.each([
    ["429", OpenAI.RateLimitError, Anthropic.RateLimitError],
    ["500", OpenAI.InternalServerError, Anthropic.InternalServerError],
    ["503", OpenAI.InternalServerError, Anthropic.ServiceUnavailableError],
    ["529", OpenAI.InternalServerError, Anthropic.OverloadedError],
    ["400", OpenAI.BadRequestError, Anthropic.BadRequestError],
    ["401", OpenAI.AuthenticationError, Anthropic.AuthenticationError],
  ] as const)("fault=%s", async (fault, OpenAiError, AnthropicError) => {
    const marker: SimMarkerInput = { fault, retry_after: 3, retry_after_ms: 2500 };
    const retryHeaders = fault === "429" || fault === "503" || fault === "529";
    for (const error of [await rejectionOf(askOpenAi(marker)), await rejectionOf(askAnthropic(marker))]) {
      expect(error instanceof OpenAiError || error instanceof AnthropicError).toBe(true);
      const { status, headers } = error as { status: number; headers: Headers };
      expect(status).toBe(Number(fault));
      expect(headers.get("x-llmr-simulator")).toBe("1");
      expect(headers.get("retry-after")).toBe(retryHeaders ? "3" : null);
      expect(headers.get("retry-after-ms")).toBe(retryHeaders ? "2500" : null);
    }
    expect(sim.stats().faults_by_kind[fault]).toBe(2);
  });

  it("names Anthropic's overload as overloaded_error", async () => {
    const error = await rejectionOf(askAnthropic({ fault: "529" }));
    expect(error).toMatchObject({ type: "overloaded_error" });
  });

  it("sends x-should-retry when asked", async () => {
    const error = await rejectionOf(askOpenAi({ fault: "500", should_retry: false }));
    expect((error as { headers: Headers }).headers.get("x-should-retry")).toBe("false");
  });
});

describe("times=N", () => {
  it("fails the first N identical requests, then answers", async () => {
    const marker: SimMarkerInput = { fault: "429", times: 1 };
    expect(await rejectionOf(askOpenAi(marker))).toBeInstanceOf(OpenAI.RateLimitError);
    await expect(askOpenAi(marker)).resolves.toMatchObject({ object: "chat.completion" });
    // The count is per content, not per endpoint or model: the same prompt on Anthropic is past it too.
    await expect(askAnthropic(marker)).resolves.toMatchObject({ type: "message" });
  });

  it("lets an SDK's own retries succeed, honouring retry-after-ms", async () => {
    const patient = sdkClients(sim, { maxRetries: 2 });
    const marker: SimMarkerInput = { fault: "503", times: 2, retry_after_ms: 1 };
    await expect(askOpenAi(marker, { client: patient.openai })).resolves.toMatchObject({
      object: "chat.completion",
    });
    expect(sim.stats().requests_by_outcome).toEqual({ error_503: 2, ok: 1 });
  });

  it("is obeyed by the SDK when x-should-retry is false", async () => {
    const patient = sdkClients(sim, { maxRetries: 2 });
    await rejectionOf(askAnthropic({ fault: "503", should_retry: false }, { client: patient.anthropic }));
    expect(sim.stats().requests_total).toBe(1);
  });

  it("starts over after reset()", async () => {
    const marker: SimMarkerInput = { fault: "500", times: 1 };
    await rejectionOf(askOpenAi(marker));
    sim.reset();
    expect(await rejectionOf(askOpenAi(marker))).toBeInstanceOf(OpenAI.InternalServerError);
  });
});

describe("connection faults", () => {
  it("hang: never answers; an aborted client is counted and its request freed", async () => {
    const openAiAbort = new AbortController();
    const anthropicAbort = new AbortController();
    const pending = [
      rejectionOf(askOpenAi({ fault: "hang" }, { signal: openAiAbort.signal })),
      rejectionOf(askAnthropic({ fault: "hang" }, { signal: anthropicAbort.signal })),
    ];
    await vi.waitFor(() => expect(sim.stats().in_flight).toBe(2));
    openAiAbort.abort();
    anthropicAbort.abort();
    const [openAiError, anthropicError] = await Promise.all(pending);
    expect(openAiError).toBeInstanceOf(OpenAI.APIUserAbortError);
    expect(anthropicError).toBeInstanceOf(Anthropic.APIUserAbortError);
    await vi.waitFor(() => expect(sim.stats()).toMatchObject({ aborted_by_client: 2, in_flight: 0 }));
  });

  it("a client leaving mid-stream stops the stream and is counted", async () => {
    const stream = await anthropic.messages.create({
      model: "claude-haiku-4-5",
      max_tokens: 200,
      stream: true,
      messages: [
        {
          role: "user",
          content: `Explain backoff ${simMarker({ fault: "slow_stream", chunk_delay_ms: 1000 })}`,
        },
      ],
    });
    for await (const event of stream) {
      // Leaving the loop makes the SDK abort the request; the next token would be a second away.
      if (event.type === "content_block_start") break;
    }
    await vi.waitFor(() => expect(sim.stats()).toMatchObject({ aborted_by_client: 1, in_flight: 0 }));
    expect(sim.stats().requests_by_outcome).toEqual({ aborted: 1 });
  });

  it("reset: the socket is destroyed and the SDKs report a connection error", async () => {
    expect(await rejectionOf(askOpenAi({ fault: "reset" }))).toBeInstanceOf(OpenAI.APIConnectionError);
    expect(await rejectionOf(askAnthropic({ fault: "reset" }))).toBeInstanceOf(Anthropic.APIConnectionError);
    await vi.waitFor(() => expect(sim.stats().requests_by_outcome.reset).toBe(2));
    expect(sim.stats().aborted_by_client).toBe(0);
  });

  it("close() resolves promptly with hanging requests open, failing them", async () => {
    const doomed = await startSimulator({ latencyScale: 0 });
    const clients = sdkClients(doomed);
    const pending = [
      rejectionOf(askOpenAi({ fault: "hang" }, { client: clients.openai })),
      rejectionOf(askAnthropic({ fault: "hang" }, { client: clients.anthropic })),
    ];
    await vi.waitFor(() => expect(doomed.stats().in_flight).toBe(2));
    const startedMs = performance.now();
    await doomed.close();
    expect(performance.now() - startedMs).toBeLessThan(500);
    const [openAiError, anthropicError] = await Promise.all(pending);
    expect(openAiError).toBeInstanceOf(OpenAI.APIConnectionError);
    expect(anthropicError).toBeInstanceOf(Anthropic.APIConnectionError);
    expect(doomed.stats().aborted_by_client).toBe(0);
  });
});

describe("answer faults", () => {
  it("truncate: cut short with finish_reason length / stop_reason max_tokens", async () => {
    const openAiAnswer = await askOpenAi({ fault: "truncate" });
    expect(openAiAnswer.choices[0]?.finish_reason).toBe("length");
    const anthropicAnswer = await askAnthropic({ fault: "truncate" });
    expect(anthropicAnswer.stop_reason).toBe("max_tokens");
    expect(anthropicAnswer.usage.output_tokens).toBeLessThan(200);
  });

  it("malformed_json: JSON was asked, broken JSON comes back", async () => {
    const answer = await openai.chat.completions.create({
      model: "gpt-4o-mini",
      messages: [{ role: "user", content: `Reply in JSON ${simMarker({ fault: "malformed_json" })}` }],
      response_format: { type: "json_object" },
    });
    expect(() => JSON.parse(answer.choices[0]?.message.content ?? "")).toThrow(SyntaxError);
  });

  it("slow_stream: chunks are paced by chunk_delay_ms even with latencyScale 0", async () => {
    const chunkDelayMs = 15;
    const stream = await openai.chat.completions.create({
      model: "gpt-4o-mini",
      messages: [
        {
          role: "user",
          content: `Explain backoff ${simMarker({ fault: "slow_stream", chunk_delay_ms: chunkDelayMs })}`,
        },
      ],
      max_completion_tokens: 6,
      stream: true,
    });
    const startedMs = performance.now();
    let tokens = 0;
    for await (const chunk of stream) if (chunk.choices[0]?.delta.content) tokens++;
    expect(tokens).toBe(6);
    // Timers may fire a little early; allow 1 ms per chunk.
    expect(performance.now() - startedMs).toBeGreaterThanOrEqual((chunkDelayMs - 1) * (tokens - 1));
  });

  it("latency_ms: a fixed total latency, whatever latencyScale", async () => {
    const startedMs = performance.now();
    await askAnthropic({ latency_ms: 120 });
    expect(performance.now() - startedMs).toBeGreaterThanOrEqual(110);
  });
});

describe("probabilistic faults", () => {
  it("injects configured faults reproducibly, and per-model rates replace the global ones", async () => {
    const flaky = await startSimulator({
      latencyScale: 0,
      faults: { "500": 1 },
      models: { "sim-large": { faults: {} } },
    });
    try {
      const clients = sdkClients(flaky);
      const ask = (model: string) =>
        clients.openai.chat.completions.create({ model, messages: [{ role: "user", content: "hi" }] });
      expect(await rejectionOf(ask("sim-small"))).toBeInstanceOf(OpenAI.InternalServerError);
      await expect(ask("sim-large")).resolves.toMatchObject({ object: "chat.completion" });
    } finally {
      await flaky.close();
    }
  });
});
