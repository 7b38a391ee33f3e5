/**
 * The one conformance suite every provider adapter must pass, run against the real simulator over
 * HTTP (`conformance.int.test.ts` calls it once per adapter). It checks what the router relies on:
 * normalised results, truncation, JSON answers, logprobs, aborts that really close the socket, and
 * the retryable / fatal / aborted classification of every fault the simulator can inject.
 */
import { simMarker, startSimulator } from "@llmr/simulator";
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import {
  type CompletionRequest,
  FatalProviderError,
  type Provider,
  ProviderAbortedError,
  ProviderError,
  RetryableProviderError,
} from "../src/index.ts";

/** What differs between adapters; everything else must behave the same. */
export interface ConformanceOptions {
  /** The adapter returns per-token logprobs when asked (OpenAI protocol); otherwise it must return none. */
  supportsLogprobs: boolean;
  /**
   * The protocol has a schema-free JSON mode (OpenAI's `json_object`). Without one (Anthropic),
   * `json_object` is only asked for in words, which the simulator (it reads no instructions) does
   * not follow, so only `json_schema` (native on both protocols) is checked for parseable JSON.
   */
  supportsJsonMode: boolean;
  /** A model id the simulator serves on this adapter's protocol. */
  model: string;
  /** The API key the provider was built with, if any: no error message may contain it. */
  apiKey?: string;
}

type Simulator = Awaited<ReturnType<typeof startSimulator>>;

/** How fast an abort must reject the pending call (the router's deadlines depend on it). */
const maxAbortLatencyMs = 100;
/** How long to wait for the simulator to notice a client-side close (its stats are updated asynchronously). */
const statsSettleTimeoutMs = 2000;

/** Awaits a promise that must reject, and returns what it rejected with. */
async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error("expected the call to fail, but it succeeded");
}

/** The messages of an error and its cause chain, as loggers would print them. */
function messagesOf(error: unknown): string {
  const messages: string[] = [];
  for (let current = error; current instanceof Error; current = current.cause) messages.push(current.message);
  return messages.join(" <- ");
}

/**
 * Declares the conformance suite for one adapter.
 *
 * @param name - Shown in the test names, e.g. `simulated/anthropic`.
 * @param makeProvider - Builds the provider under test against a running simulator's root URL.
 *
 * @example
 * ```ts
 * describeProviderConformance(
 *   "openai",
 *   (url) => createProvider({ id: "openai", kind: "openai", apiKey: "sk-test", baseUrl: `${url}/v1` }),
 *   { supportsLogprobs: true, supportsJsonMode: true, model: "gpt-4o-mini" },
 * );
 * ```
 */
export function describeProviderConformance(
  name: string,
  makeProvider: (simulatorUrl: string) => Provider,
  opts: ConformanceOptions,
): void {
  describe(`provider conformance: ${name}`, () => {
    let simulator: Simulator;
    let provider: Provider;

    beforeAll(async () => {
      simulator = await startSimulator({ port: 0, latencyScale: 0, seed: 42 });
      provider = makeProvider(simulator.url);
    });
    afterAll(async () => {
      await simulator?.close();
    });
    beforeEach(async () => {
      await simulator.reset();
    });

    const ask = (content: string, extra: Partial<CompletionRequest> = {}): CompletionRequest => ({
      model: opts.model,
      messages: [{ role: "user", content }],
      maxOutputTokens: 256,
      ...extra,
    });

    describe("completions", () => {
      it("answers a plain prompt with text, stop, usage and the model", async () => {
        const result = await provider.complete(ask("How do I keep a sourdough starter alive?"));
        expect(result.text.trim().length).toBeGreaterThan(0);
        expect(result.finishReason).toBe("stop");
        expect(result.usage.inputTokens).toBeGreaterThan(0);
        expect(result.usage.outputTokens).toBeGreaterThan(0);
        expect(result.model.startsWith(opts.model)).toBe(true);
        expect(result.logprobs).toBeUndefined();
        // Time to first byte is measured on the same response as the answer.
        expect(result.firstByteMs).toBeGreaterThanOrEqual(0);
      });

      it("sends every message, system included", async () => {
        const question = "What should I check before deploying on a Friday?";
        const bare = await provider.complete(ask(question));
        const system = "You are a careful release manager. Answer in plain words, and mention rollbacks.";
        const conversation = await provider.complete({
          ...ask(question),
          messages: [
            { role: "system", content: system },
            { role: "user", content: "Hello, I have a question about releases." },
            { role: "assistant", content: "Sure, go ahead." },
            { role: "user", content: question },
          ],
        });
        expect(conversation.finishReason).toBe("stop");
        expect(conversation.text.trim().length).toBeGreaterThan(0);
        // The extra messages (the system one most of all) must reach the model and be billed.
        expect(conversation.usage.inputTokens).toBeGreaterThan(bare.usage.inputTokens + 10);
      });

      it("reports finishReason length when the answer hits maxOutputTokens", async () => {
        const result = await provider.complete(
          ask("Explain in detail how TCP congestion control works.", { maxOutputTokens: 3 }),
        );
        expect(result.finishReason).toBe("length");
        expect(["length", "max_tokens"]).toContain(result.rawFinishReason);
        expect(result.usage.outputTokens).toBeLessThanOrEqual(3);
      });

      it("reports finishReason length for a truncated answer (fault=truncate)", async () => {
        const result = await provider.complete(
          ask(`Tell me about tides. ${simMarker({ fault: "truncate" })}`),
        );
        expect(result.finishReason).toBe("length");
      });

      it("answers json_schema requests with JSON that matches the schema", async () => {
        const schema = {
          type: "object",
          properties: { answer: { type: "string" }, confidence: { type: "number" } },
          required: ["answer", "confidence"],
          additionalProperties: false,
        };
        const result = await provider.complete(
          ask("Is the sky blue on a clear day?", {
            responseFormat: { type: "json_schema", json_schema: { name: "verdict", schema, strict: true } },
          }),
        );
        expect(result.finishReason).toBe("stop");
        const parsed: unknown = JSON.parse(result.text);
        expect(parsed).toEqual({ answer: expect.any(String), confidence: expect.any(Number) });
      });

      it("passes a malformed JSON answer through for the router to judge (fault=malformed_json)", async () => {
        const schema = { type: "object", properties: { answer: { type: "string" } }, required: ["answer"] };
        const result = await provider.complete(
          ask(`Is water wet? ${simMarker({ fault: "malformed_json" })}`, {
            responseFormat: { type: "json_schema", json_schema: { name: "verdict", schema } },
          }),
        );
        // A bad answer is not a transport failure: the call succeeds and validation is the caller's job.
        expect(result.finishReason).toBe("stop");
        expect(() => JSON.parse(result.text)).toThrow(SyntaxError);
      });

      if (opts.supportsJsonMode) {
        it("answers json_object requests with a JSON object", async () => {
          const result = await provider.complete(
            ask("Give me a JSON object about the weather.", { responseFormat: { type: "json_object" } }),
          );
          const parsed: unknown = JSON.parse(result.text);
          expect(parsed).toBeTypeOf("object");
          expect(Array.isArray(parsed)).toBe(false);
        });
      } else {
        it("still answers json_object requests (JSON asked for in words)", async () => {
          const result = await provider.complete(
            ask("Give me a JSON object about the weather.", { responseFormat: { type: "json_object" } }),
          );
          expect(result.finishReason).toBe("stop");
          expect(result.text.trim().length).toBeGreaterThan(0);
        });
      }

      if (opts.supportsLogprobs) {
        it("returns per-token logprobs when asked", async () => {
          const result = await provider.complete(ask("Name a primary colour.", { logprobs: true }));
          expect(result.logprobs?.length).toBeGreaterThan(0);
          for (const entry of result.logprobs ?? []) {
            expect(entry.token).toBeTypeOf("string");
            expect(entry.logprob).toBeLessThanOrEqual(0);
          }
        });
      } else {
        it("returns no logprobs even when asked (the protocol offers none)", async () => {
          const result = await provider.complete(ask("Name a primary colour.", { logprobs: true }));
          expect(result.text.length).toBeGreaterThan(0);
          expect(result.logprobs).toBeUndefined();
        });
      }
    });

    describe("aborts", () => {
      it("aborts a hanging call quickly, closing the connection", async () => {
        const controller = new AbortController();
        const pending = provider.complete(ask(`Wait forever. ${simMarker({ fault: "hang" })}`), {
          signal: controller.signal,
        });
        const outcome = rejectionOf(pending);
        // Abort only once the simulator holds the request, so the abort really cuts a live call.
        await vi.waitFor(async () => expect((await simulator.stats()).in_flight).toBe(1), {
          timeout: statsSettleTimeoutMs,
          interval: 5,
        });
        const abortedAtMs = performance.now();
        controller.abort(new Error("deadline reached"));
        const error = await outcome;
        expect(performance.now() - abortedAtMs).toBeLessThan(maxAbortLatencyMs);
        expect(error).toBeInstanceOf(ProviderAbortedError);
        expect(error).not.toBeInstanceOf(RetryableProviderError);
        expect(error).not.toBeInstanceOf(FatalProviderError);
        expect(error).toMatchObject({ providerId: provider.id, reason: "aborted" });
        await vi.waitFor(
          async () => {
            const stats = await simulator.stats();
            expect(stats.aborted_by_client).toBe(1);
            expect(stats.in_flight).toBe(0);
          },
          { timeout: statsSettleTimeoutMs, interval: 5 },
        );
      });

      it("rejects at once, sending nothing, when the signal has already aborted", async () => {
        const error = await rejectionOf(provider.complete(ask("Hello?"), { signal: AbortSignal.abort() }));
        expect(error).toBeInstanceOf(ProviderAbortedError);
        expect((await simulator.stats()).requests_total).toBe(0);
      });
    });

    describe("faults", () => {
      const failWith = async (marker: Parameters<typeof simMarker>[0], model = opts.model) => {
        const error = await rejectionOf(provider.complete(ask(`Hello? ${simMarker(marker)}`, { model })));
        expect(error).toBeInstanceOf(ProviderError);
        expect(error).toMatchObject({ providerId: provider.id });
        if (opts.apiKey) expect(messagesOf(error)).not.toContain(opts.apiKey);
        return error as ProviderError;
      };

      it("classifies 429 as retryable rate_limited with retryAfterMs from retry-after", async () => {
        const error = await failWith({ fault: "429", retry_after: 2 });
        expect(error).toBeInstanceOf(RetryableProviderError);
        expect(error).toMatchObject({ status: 429, reason: "rate_limited", retryAfterMs: 2000 });
      });

      it("prefers retry-after-ms when the provider sends it", async () => {
        const error = await failWith({ fault: "429", retry_after: 2, retry_after_ms: 250 });
        expect(error).toMatchObject({ reason: "rate_limited", retryAfterMs: 250 });
      });

      it.each([
        ["500", 500, "server_error"],
        ["503", 503, "overloaded"],
        ["529", 529, "overloaded"],
      ] as const)("classifies %s as retryable", async (fault, status, reason) => {
        const error = await failWith({ fault });
        expect(error).toBeInstanceOf(RetryableProviderError);
        expect(error).toMatchObject({ status, reason });
      });

      it.each([
        ["400", 400, "bad_request"],
        ["401", 401, "authentication"],
      ] as const)("classifies %s as fatal", async (fault, status, reason) => {
        const error = await failWith({ fault });
        expect(error).toBeInstanceOf(FatalProviderError);
        expect(error).toMatchObject({ status, reason });
      });

      it("classifies an unknown model (404) as fatal not_found", async () => {
        const error = await rejectionOf(provider.complete(ask("Hello?", { model: "no-such-model" })));
        expect(error).toBeInstanceOf(FatalProviderError);
        expect(error).toMatchObject({ status: 404, reason: "not_found", providerId: provider.id });
      });

      it("classifies a reset connection as retryable connection", async () => {
        const error = await failWith({ fault: "reset" });
        expect(error).toBeInstanceOf(RetryableProviderError);
        expect(error).toMatchObject({ reason: "connection", status: undefined });
      });

      it("obeys x-should-retry: false on a 503 (fatal)", async () => {
        const error = await failWith({ fault: "503", should_retry: false });
        expect(error).toBeInstanceOf(FatalProviderError);
        expect(error).toMatchObject({ status: 503 });
      });

      it("makes exactly one HTTP attempt per call (the router owns retries)", async () => {
        await failWith({ fault: "500" });
        expect((await simulator.stats()).requests_total).toBe(1);
      });
    });
  });
}
