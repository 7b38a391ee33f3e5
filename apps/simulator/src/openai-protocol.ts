/**
 * The OpenAI Chat Completions endpoint's answers: `chat.completion` objects and
 * `chat.completion.chunk` streams ending in `data: [DONE]` (errors are in `openai-errors.ts`).
 */
import { tokenBytes } from "./logprobs.ts";
import { openAiError, openAiRateLimitHeaders } from "./openai-errors.ts";
import { parseOpenAiRequest } from "./openai-request.ts";
import { bearerToken, type ProtocolAdapter, type StreamChunk } from "./protocol.ts";
import type { CompletionPlan } from "./simulate.ts";

/** Identifies the simulator in every answer, where the real API names its backend build. */
export const systemFingerprint = "llmr-simulator";

function logprobContent(plan: CompletionPlan, from: number, to: number) {
  return (plan.logprobs ?? []).slice(from, to).map((entry) => ({
    token: entry.token,
    logprob: entry.logprob,
    bytes: tokenBytes(entry.token),
    top_logprobs: entry.top.map((top) => ({
      token: top.token,
      logprob: top.logprob,
      bytes: tokenBytes(top.token),
    })),
  }));
}

function usage(plan: CompletionPlan) {
  return {
    prompt_tokens: plan.inputTokens,
    completion_tokens: plan.outputTokens,
    total_tokens: plan.inputTokens + plan.outputTokens,
    prompt_tokens_details: { cached_tokens: 0, audio_tokens: 0 },
    completion_tokens_details: {
      reasoning_tokens: 0,
      audio_tokens: 0,
      accepted_prediction_tokens: 0,
      rejected_prediction_tokens: 0,
    },
  };
}

export const openAiProtocol: ProtocolAdapter = {
  name: "openai",
  requestIdHeader: "x-request-id",
  idPrefix: "chatcmpl-sim-",
  apiKey: bearerToken,
  parse: parseOpenAiRequest,
  error: (condition) => openAiError(condition),
  rateLimitHeaders: openAiRateLimitHeaders,

  completionBody(plan, meta, request) {
    return {
      id: meta.id,
      object: "chat.completion",
      created: meta.created,
      model: meta.model,
      choices: [
        {
          index: 0,
          message: { role: "assistant", content: plan.text, refusal: null, annotations: [] },
          logprobs: request.logprobs
            ? { content: logprobContent(plan, 0, plan.tokens.length), refusal: null }
            : null,
          finish_reason: plan.finish,
        },
      ],
      usage: usage(plan),
      service_tier: "default",
      system_fingerprint: systemFingerprint,
    };
  },

  streamChunks(plan, meta, request) {
    const base = { id: meta.id, object: "chat.completion.chunk", created: meta.created, model: meta.model };
    const tail = { service_tier: "default", system_fingerprint: systemFingerprint };
    // With include_usage every chunk carries `usage: null` and one last chunk carries the totals.
    const usageField = request.includeUsage ? { usage: null } : {};
    const chunk = (choice: object, waitMs: number): StreamChunk => ({
      text: `data: ${JSON.stringify({ ...base, choices: [choice], ...tail, ...usageField })}\n\n`,
      waitMs,
    });
    const chunks: StreamChunk[] = [
      chunk(
        {
          index: 0,
          delta: { role: "assistant", content: "", refusal: null },
          logprobs: null,
          finish_reason: null,
        },
        plan.latency.ttftMs,
      ),
    ];
    plan.tokens.forEach((token, index) => {
      const logprobs = request.logprobs
        ? { content: logprobContent(plan, index, index + 1), refusal: null }
        : null;
      chunks.push(
        chunk(
          { index: 0, delta: { content: token }, logprobs, finish_reason: null },
          plan.latency.interTokenMs[index] ?? 0,
        ),
      );
    });
    chunks.push(chunk({ index: 0, delta: {}, logprobs: null, finish_reason: plan.finish }, 0));
    if (request.includeUsage) {
      chunks.push({
        text: `data: ${JSON.stringify({ ...base, choices: [], ...tail, usage: usage(plan) })}\n\n`,
        waitMs: 0,
      });
    }
    chunks.push({ text: "data: [DONE]\n\n", waitMs: 0 });
    return chunks;
  },
};
