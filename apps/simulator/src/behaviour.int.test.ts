import Anthropic from "@anthropic-ai/sdk";
import OpenAI from "openai";
import { afterEach, describe, expect, it } from "vitest";
import { rejectionOf, sdkClients } from "../test/sdk-clients.ts";
import {
  type RunningSimulator,
  type SimulatorOptions,
  type SimulatorStats,
  startSimulator,
} from "./index.ts";

const running: RunningSimulator[] = [];
async function simulator(options: SimulatorOptions = {}): Promise<RunningSimulator> {
  const sim = await startSimulator({ latencyScale: 0, ...options });
  running.push(sim);
  return sim;
}
afterEach(async () => {
  await Promise.all(running.splice(0).map((sim) => sim.close()));
});

const prompts = [
  "What is a message queue?",
  "How do I pick a timeout for an HTTP call?",
  "Name three causes of tail latency.",
  "Why do retries need jitter?",
  "When should a job go to a dead-letter queue?",
];

async function answers(sim: RunningSimulator): Promise<string[]> {
  const { openai } = sdkClients(sim);
  const results: string[] = [];
  for (const content of prompts) {
    const data = await openai.chat.completions.create({
      model: "gpt-4o",
      messages: [{ role: "user", content }],
    });
    results.push(data.choices[0]?.message.content ?? "");
  }
  return results;
}

describe("determinism", () => {
  it("gives the same answers for the same seed, and different ones for another seed", async () => {
    const first = await answers(await simulator({ seed: 7 }));
    const again = await answers(await simulator({ seed: 7 }));
    const other = await answers(await simulator({ seed: 8 }));
    expect(again).toEqual(first);
    expect(other).not.toEqual(first);
  });
});

describe("capability versus difficulty", () => {
  const hardPrompt = [
    "Prove that this scheduler is starvation-free, derive its worst-case wait, and compare it with a fair queue:",
    "```ts",
    "while (true) { const job = queue.shift(); if (job) await run(job); }",
    "```",
  ].join("\n");

  it("hedges on a hard prompt with a cheap model but not with a strong one", async () => {
    const sim = await simulator();
    const { openai, anthropic } = sdkClients(sim);
    const cheap = await openai.chat.completions
      .create({ model: "gpt-4.1-nano", messages: [{ role: "user", content: hardPrompt }], logprobs: true })
      .withResponse();
    const strong = await anthropic.messages
      .create({
        model: "claude-opus-4-1",
        max_tokens: 300,
        messages: [{ role: "user", content: hardPrompt }],
      })
      .withResponse();
    expect(cheap.data.choices[0]?.message.content).toMatch(/^I'm not sure, but/);
    const strongText = strong.data.content[0]?.type === "text" ? strong.data.content[0].text : "";
    expect(strongText).not.toMatch(/not sure/);
    expect(strongText.length).toBeGreaterThan(cheap.data.choices[0]?.message.content?.length ?? 0);
    const confidence = (response: Response) => Number(response.headers.get("x-llmr-sim-confidence"));
    expect(confidence(cheap.response)).toBeLessThan(0.5);
    expect(confidence(strong.response)).toBeGreaterThan(0.5);
  });
});

describe("rate limits", () => {
  it("enforces a model's rpm with 429, retry-after and x-ratelimit-* headers", async () => {
    const sim = await simulator({ models: { "gpt-4o-mini": { rpm: 2 } } });
    const { openai, anthropic } = sdkClients(sim);
    const ask = () =>
      openai.chat.completions.create({ model: "gpt-4o-mini", messages: [{ role: "user", content: "hi" }] });
    const first = await ask().withResponse();
    expect(first.response.headers.get("x-ratelimit-limit-requests")).toBe("2");
    expect(first.response.headers.get("x-ratelimit-remaining-requests")).toBe("1");
    await ask();
    const error = await rejectionOf(ask());
    expect(error).toBeInstanceOf(OpenAI.RateLimitError);
    const headers = (error as { headers: Headers }).headers;
    expect(Number(headers.get("retry-after"))).toBeGreaterThanOrEqual(59);
    expect(Number(headers.get("retry-after-ms"))).toBeGreaterThan(58_000);
    expect(headers.get("x-ratelimit-remaining-requests")).toBe("0");
    // The window is per model, whichever endpoint calls it; other models are unaffected.
    const viaAnthropic = anthropic.messages.create({
      model: "gpt-4o-mini",
      max_tokens: 10,
      messages: [{ role: "user", content: "hi" }],
    });
    expect(await rejectionOf(viaAnthropic)).toBeInstanceOf(Anthropic.RateLimitError);
    await expect(
      openai.chat.completions.create({ model: "gpt-4o", messages: [{ role: "user", content: "hi" }] }),
    ).resolves.toBeDefined();
    expect(sim.stats().requests_by_outcome).toMatchObject({ ok: 3, rate_limited: 2 });
  });

  it("enforces tpm, counting input plus the requested output budget", async () => {
    const sim = await simulator({ models: { "sim-small": { tpm: 300 } } });
    const { openai } = sdkClients(sim);
    const ask = () =>
      openai.chat.completions.create({
        model: "sim-small",
        messages: [{ role: "user", content: "hi" }],
        max_completion_tokens: 200,
      });
    await ask();
    expect(await rejectionOf(ask())).toBeInstanceOf(OpenAI.RateLimitError);
    // Only the admitted call is charged: its input plus the 200 tokens it may answer with.
    const charged = sim.stats().tokens_admitted_by_model["sim-small"] ?? 0;
    expect(charged).toBeGreaterThan(200);
    expect(charged).toBeLessThan(300);
  });
});

describe("configuration and control endpoints", () => {
  it("accepts only the configured API keys when an allow-list is given", async () => {
    const sim = await simulator({ apiKeys: ["sk-good"] });
    const good = sdkClients(sim, { apiKey: "sk-good" });
    const bad = sdkClients(sim, { apiKey: "sk-bad" });
    const request = { model: "sim-medium", messages: [{ role: "user" as const, content: "hi" }] };
    await expect(good.openai.chat.completions.create(request)).resolves.toBeDefined();
    expect(await rejectionOf(bad.openai.chat.completions.create(request))).toBeInstanceOf(
      OpenAI.AuthenticationError,
    );
    const anthropicError = await rejectionOf(bad.anthropic.messages.create({ ...request, max_tokens: 5 }));
    expect(anthropicError).toBeInstanceOf(Anthropic.AuthenticationError);
  });

  it("serves added models and rejects invalid options", async () => {
    const sim = await simulator({ models: { "my-model": { capability: 0.99 } } });
    const { openai } = sdkClients(sim);
    await expect(openai.models.retrieve("my-model")).resolves.toMatchObject({ id: "my-model" });
    await expect(startSimulator({ faults: { "500": 0.8, "429": 0.5 } })).rejects.toThrow(/sum to at most 1/);
    await expect(startSimulator({ models: { x: { capability: 2 } } })).rejects.toThrow(
      /models\.x\.capability/,
    );
  });

  it("reports stats over HTTP and zeroes them on reset", async () => {
    const sim = await simulator();
    const { openai } = sdkClients(sim);
    await openai.chat.completions.create({ model: "gpt-5", messages: [{ role: "user", content: "hi" }] });
    await rejectionOf(
      openai.chat.completions.create({ model: "nope", messages: [{ role: "user", content: "hi" }] }),
    );
    const stats = (await (await fetch(`${sim.url}/_sim/stats`)).json()) as SimulatorStats;
    expect(stats).toMatchObject({
      requests_total: 2,
      requests_by_model: { "gpt-5": 1, nope: 1 },
      requests_by_outcome: { ok: 1, error_404: 1 },
      aborted_by_client: 0,
    });
    expect(stats.open_connections).toBeGreaterThanOrEqual(1);
    const reset = await fetch(`${sim.url}/_sim/reset`, { method: "POST" });
    expect(reset.headers.get("x-llmr-simulator")).toBe("1");
    expect(sim.stats()).toMatchObject({ requests_total: 0, requests_by_model: {} });
    const health = await fetch(`${sim.url}/healthz`);
    expect(await health.json()).toEqual({ status: "ok", simulator: true });
  });
});
