/**
 * How the OpenAI endpoint words its errors (`{"error":{message,type,param,code}}`, with the real API's
 * messages where they are well known) and its `x-ratelimit-*` headers.
 */
import type { StatusFaultKind } from "./fault-kinds.ts";
import type { ErrorCondition, ErrorResponse } from "./protocol.ts";
import type { RateLimitState } from "./rate-limiter.ts";

const simulated = "(llmr simulator)";

function errorResponse(
  status: number,
  message: string,
  type: string,
  param: string | null = null,
  code: string | null = null,
): ErrorResponse {
  return { status, body: { error: { message, type, param, code } } };
}

export function openAiError(condition: ErrorCondition): ErrorResponse {
  switch (condition.kind) {
    case "missing_key":
      return errorResponse(
        401,
        `You didn't provide an API key. You need to provide your API key in an Authorization header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY). ${simulated}`,
        "invalid_request_error",
      );
    case "invalid_key":
      return errorResponse(
        401,
        `Incorrect API key provided. ${simulated}`,
        "invalid_request_error",
        null,
        "invalid_api_key",
      );
    case "bad_json":
      return errorResponse(
        400,
        `We could not parse the JSON body of your request. ${simulated}`,
        "invalid_request_error",
      );
    case "body_too_large":
      return errorResponse(413, `Request body too large. ${simulated}`, "invalid_request_error");
    case "invalid_request":
      return errorResponse(400, condition.message, "invalid_request_error", condition.param);
    case "model_not_found":
      return errorResponse(
        404,
        `The model \`${condition.model}\` does not exist or you do not have access to it. ${simulated}`,
        "invalid_request_error",
        null,
        "model_not_found",
      );
    case "no_recorded_answer":
      return errorResponse(
        404,
        `No recorded answer for this prompt: model \`${condition.model}\` is served from replay files only. ${simulated}`,
        "invalid_request_error",
        null,
        "no_recorded_answer",
      );
    case "context_length":
      return errorResponse(
        400,
        `This model's maximum context length is ${condition.limit} tokens. However, your messages resulted in ${condition.requested} tokens. ${simulated}`,
        "invalid_request_error",
        "messages",
        "context_length_exceeded",
      );
    case "rate_limited":
      return errorResponse(
        429,
        `Rate limit reached for ${condition.model} on ${condition.exceeded} per min: Limit ${condition.limit}. Please try again in ${formatDuration(condition.retryAfterMs)}. ${simulated}`,
        condition.exceeded,
        null,
        "rate_limit_exceeded",
      );
    case "route_not_found":
      return errorResponse(
        404,
        `Invalid URL (${condition.method} ${condition.path}) ${simulated}`,
        "invalid_request_error",
      );
    case "fault":
      return faultError(condition.fault, condition.model);
  }
}

function faultError(fault: StatusFaultKind, model: string): ErrorResponse {
  switch (fault) {
    case "400":
      return errorResponse(400, `Simulated invalid request. ${simulated}`, "invalid_request_error");
    case "401":
      return errorResponse(
        401,
        `Incorrect API key provided. ${simulated}`,
        "invalid_request_error",
        null,
        "invalid_api_key",
      );
    case "429":
      return errorResponse(
        429,
        `Rate limit reached for ${model}. ${simulated}`,
        "requests",
        null,
        "rate_limit_exceeded",
      );
    case "500":
      return errorResponse(
        500,
        `The server had an error while processing your request. Sorry about that! ${simulated}`,
        "server_error",
      );
    case "503":
      return errorResponse(
        503,
        `The server is overloaded or not ready yet. ${simulated}`,
        "server_error",
        null,
        "service_unavailable",
      );
    case "529":
      return errorResponse(529, `The server is overloaded. ${simulated}`, "server_error", null, "overloaded");
  }
}

/** OpenAI writes durations like `1s`, `6m0s`, `17ms`. */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.ceil(ms)}ms`;
  const seconds = Math.round(ms / 10) / 100;
  if (seconds < 60) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  return `${minutes}m${Math.round(seconds - minutes * 60)}s`;
}

export function openAiRateLimitHeaders(state: RateLimitState): Record<string, string> {
  const headers: Record<string, string> = {};
  if (state.limitRequests !== undefined) {
    headers["x-ratelimit-limit-requests"] = String(state.limitRequests);
    headers["x-ratelimit-remaining-requests"] = String(state.remainingRequests ?? 0);
    headers["x-ratelimit-reset-requests"] = formatDuration(state.resetRequestsMs ?? 0);
  }
  if (state.limitTokens !== undefined) {
    headers["x-ratelimit-limit-tokens"] = String(state.limitTokens);
    headers["x-ratelimit-remaining-tokens"] = String(state.remainingTokens ?? 0);
    headers["x-ratelimit-reset-tokens"] = formatDuration(state.resetTokensMs ?? 0);
  }
  return headers;
}
