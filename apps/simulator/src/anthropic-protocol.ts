/**
 * The Anthropic Messages endpoint's shapes: `{"type":"error","error":{type,message}}` errors, `message`
 * answers and the named-event stream (message_start, content_block_start, ping, content_block_delta…,
 * content_block_stop, message_delta, message_stop).
 */
import { parseAnthropicRequest } from "./anthropic-request.ts";
import type { StatusFaultKind } from "./fault-kinds.ts";
import { sseFrame } from "./http-io.ts";
import {
  bearerToken,
  type ErrorCondition,
  type ErrorResponse,
  type ProtocolAdapter,
  type StreamChunk,
} from "./protocol.ts";
import type { RateLimitState } from "./rate-limiter.ts";
import type { CompletionPlan } from "./simulate.ts";

const simulated = "(llmr simulator)";

function errorResponse(status: number, type: string, message: string, requestId: string): ErrorResponse {
  return { status, body: { type: "error", error: { type, message }, request_id: requestId } };
}

function anthropicError(condition: ErrorCondition, requestId: string): ErrorResponse {
  const error = (status: number, type: string, message: string) =>
    errorResponse(status, type, `${message} ${simulated}`, requestId);
  switch (condition.kind) {
    case "missing_key":
      return error(401, "authentication_error", "x-api-key header is required");
    case "invalid_key":
      return error(401, "authentication_error", "invalid x-api-key");
    case "bad_json":
      return error(400, "invalid_request_error", "The request body is not valid JSON.");
    case "body_too_large":
      return error(413, "request_too_large", "Request exceeds the maximum allowed number of bytes.");
    case "invalid_request":
      return error(400, "invalid_request_error", condition.message);
    case "model_not_found":
      return error(404, "not_found_error", `model: ${condition.model}`);
    case "no_recorded_answer":
      return error(
        404,
        "not_found_error",
        `No recorded answer for this prompt: model ${condition.model} is served from replay files only.`,
      );
    case "context_length":
      return error(
        400,
        "invalid_request_error",
        `prompt is too long: ${condition.requested} tokens > ${condition.limit} maximum`,
      );
    case "rate_limited":
      return error(
        429,
        "rate_limit_error",
        `This request would exceed the rate limit of ${condition.limit} ${condition.exceeded === "requests" ? "requests" : "tokens"} per minute for ${condition.model}.`,
      );
    case "route_not_found":
      return error(404, "not_found_error", `Not found: ${condition.method} ${condition.path}`);
    case "fault":
      return faultError(condition.fault, error);
  }
}

function faultError(
  fault: StatusFaultKind,
  error: (status: number, type: string, message: string) => ErrorResponse,
): ErrorResponse {
  switch (fault) {
    case "400":
      return error(400, "invalid_request_error", "Simulated invalid request.");
    case "401":
      return error(401, "authentication_error", "invalid x-api-key");
    case "429":
      return error(429, "rate_limit_error", "Number of requests has exceeded your rate limit.");
    case "500":
      return error(500, "api_error", "Internal server error");
    case "503":
      return error(503, "api_error", "Service unavailable");
    case "529":
      return error(529, "overloaded_error", "Overloaded");
  }
}

function rateLimitHeaders(state: RateLimitState): Record<string, string> {
  const headers: Record<string, string> = {};
  // Anthropic gives the reset as an RFC 3339 instant rather than a duration.
  const at = (ms: number | undefined) => new Date(Date.now() + (ms ?? 0)).toISOString();
  if (state.limitRequests !== undefined) {
    headers["anthropic-ratelimit-requests-limit"] = String(state.limitRequests);
    headers["anthropic-ratelimit-requests-remaining"] = String(state.remainingRequests ?? 0);
    headers["anthropic-ratelimit-requests-reset"] = at(state.resetRequestsMs);
  }
  if (state.limitTokens !== undefined) {
    headers["anthropic-ratelimit-tokens-limit"] = String(state.limitTokens);
    headers["anthropic-ratelimit-tokens-remaining"] = String(state.remainingTokens ?? 0);
    headers["anthropic-ratelimit-tokens-reset"] = at(state.resetTokensMs);
  }
  return headers;
}

function stopReason(plan: CompletionPlan): "end_turn" | "max_tokens" {
  return plan.finish === "length" ? "max_tokens" : "end_turn";
}

function usage(inputTokens: number, outputTokens: number) {
  return {
    input_tokens: inputTokens,
    output_tokens: outputTokens,
    cache_creation_input_tokens: 0,
    cache_read_input_tokens: 0,
    cache_creation: { ephemeral_5m_input_tokens: 0, ephemeral_1h_input_tokens: 0 },
    server_tool_use: null,
    output_tokens_details: null,
    service_tier: "standard",
    inference_geo: null,
    speed: null,
  };
}

function message(plan: CompletionPlan, id: string, model: string, final: boolean) {
  return {
    id,
    type: "message",
    role: "assistant",
    model,
    content: final ? [{ type: "text", text: plan.text, citations: null }] : [],
    stop_reason: final ? stopReason(plan) : null,
    stop_sequence: null,
    stop_details: null,
    container: null,
    diagnostics: null,
    // message_start reports the first output token, like the real stream; message_delta the total.
    usage: usage(plan.inputTokens, final ? plan.outputTokens : Math.min(1, plan.outputTokens)),
  };
}

export const anthropicProtocol: ProtocolAdapter = {
  name: "anthropic",
  requestIdHeader: "request-id",
  idPrefix: "msg_sim_",
  // The API documents `x-api-key`; the current SDK sends its key as `Authorization: Bearer`.
  apiKey: (headers) => {
    const apiKey = headers["x-api-key"];
    const value = Array.isArray(apiKey) ? apiKey[0] : apiKey;
    return value?.trim() ? value.trim() : bearerToken(headers);
  },
  parse: parseAnthropicRequest,
  error: anthropicError,
  rateLimitHeaders,

  completionBody(plan, meta) {
    return message(plan, meta.id, meta.model, true);
  },

  streamChunks(plan, meta) {
    const event = (type: string, data: object, waitMs = 0): StreamChunk => ({
      text: sseFrame(JSON.stringify({ type, ...data }), type),
      waitMs,
    });
    const chunks: StreamChunk[] = [
      event("message_start", { message: message(plan, meta.id, meta.model, false) }, plan.latency.ttftMs),
      event("content_block_start", { index: 0, content_block: { type: "text", text: "", citations: null } }),
      event("ping", {}),
    ];
    plan.tokens.forEach((token, index) => {
      chunks.push(
        event(
          "content_block_delta",
          { index: 0, delta: { type: "text_delta", text: token } },
          plan.latency.interTokenMs[index] ?? 0,
        ),
      );
    });
    chunks.push(
      event("content_block_stop", { index: 0 }),
      event("message_delta", {
        delta: { stop_reason: stopReason(plan), stop_sequence: null, stop_details: null, container: null },
        usage: {
          input_tokens: plan.inputTokens,
          output_tokens: plan.outputTokens,
          cache_creation_input_tokens: 0,
          cache_read_input_tokens: 0,
          server_tool_use: null,
          output_tokens_details: null,
        },
      }),
      event("message_stop", {}),
    );
    return chunks;
  },
};
