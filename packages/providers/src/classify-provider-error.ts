import {
  APIError as AnthropicAPIError,
  APIConnectionError as AnthropicConnectionError,
  APIConnectionTimeoutError as AnthropicConnectionTimeoutError,
  APIUserAbortError as AnthropicUserAbortError,
} from "@anthropic-ai/sdk";
import {
  APIError as OpenAIAPIError,
  APIConnectionError as OpenAIConnectionError,
  APIConnectionTimeoutError as OpenAIConnectionTimeoutError,
  APIUserAbortError as OpenAIUserAbortError,
} from "openai";
import { FatalProviderError, type FatalReason } from "./errors/fatal-provider-error.ts";
import { ProviderAbortedError } from "./errors/provider-aborted-error.ts";
import { ProviderError } from "./errors/provider-error.ts";
import { RetryableProviderError, type RetryableReason } from "./errors/retryable-provider-error.ts";
import { findErrorCode } from "./internal/error-code.ts";
import { parseRetryAfterMs } from "./internal/retry-after.ts";
import { scrubErrorChain, scrubSecrets } from "./internal/scrub-secrets.ts";

/** Context that makes a classification exact; all optional. */
export interface ClassifyProviderErrorOptions {
  /** The caller's signal: once it has aborted, whatever failed is reported as an abort. */
  signal?: AbortSignal | undefined;
  /** Secrets to scrub from messages besides key-shaped strings, i.e. the configured API key. @defaultValue `[]` */
  secrets?: readonly (string | undefined)[] | undefined;
  /** The current time, to read a `retry-after` HTTP date. @defaultValue `Date.now()` */
  nowMs?: number | undefined;
}

/** Socket and undici codes that mean "the network gave up waiting". */
const timeoutCodes: ReadonlySet<string> = new Set([
  "ETIMEDOUT",
  "UND_ERR_CONNECT_TIMEOUT",
  "UND_ERR_HEADERS_TIMEOUT",
  "UND_ERR_BODY_TIMEOUT",
]);

/** Socket, DNS and undici codes that mean "the connection failed or was cut". */
const connectionCodes: ReadonlySet<string> = new Set([
  "ECONNRESET",
  "ECONNREFUSED",
  "ECONNABORTED",
  "EPIPE",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "ENETDOWN",
  "ENOTFOUND",
  "EAI_AGAIN",
  "UND_ERR_SOCKET",
  "UND_ERR_CLOSED",
]);

/**
 * Maps anything a provider call can throw (either SDK's error classes, raw Node/undici errors,
 * anything else) onto the provider error hierarchy, once, so that no caller re-derives
 * "retry or not" from status codes. Messages (ours and the cause chain's) are scrubbed of API keys.
 *
 * Rules, first match wins; each says why below.
 *
 * @example
 * ```ts
 * try {
 *   return await client.chat.completions.create(body, { signal });
 * } catch (error) {
 *   throw classifyProviderError(error, "openai", { signal, secrets: [apiKey] });
 * }
 * ```
 */
export function classifyProviderError(
  error: unknown,
  providerId: string,
  options: ClassifyProviderErrorOptions = {},
): ProviderError {
  // Already classified (an adapter threw it on purpose): classify once, never twice.
  if (error instanceof ProviderError) return error;

  const secrets = options.secrets ?? [];
  scrubErrorChain(error, secrets);
  const code = findErrorCode(error);
  const detail = scrubSecrets(describe(error) + (code ? ` (${code})` : ""), secrets);
  const message = `${providerId}: ${detail}`;
  const retryable = (reason: RetryableReason, status?: number, retryAfterMs?: number) =>
    new RetryableProviderError({ providerId, reason, status, retryAfterMs, message, cause: error });
  const fatal = (reason: FatalReason, status?: number) =>
    new FatalProviderError({ providerId, reason, status, message, cause: error });
  const aborted = () =>
    new ProviderAbortedError({
      providerId,
      message: `${providerId}: ${ProviderAbortedError.defaultMessage}`,
      cause: error,
    });

  // The caller aborted: whatever the failure looks like (a user-abort error, a reset socket), it
  // is the consequence of the caller's decision, and the caller decides what comes next.
  if (options.signal?.aborted) return aborted();
  // Both SDKs raise APIUserAbortError when the signal passed per request fires.
  if (error instanceof OpenAIUserAbortError || error instanceof AnthropicUserAbortError) return aborted();
  // The SDK's own timeout fired (we set it very high; the router's deadlines come through the signal).
  if (error instanceof OpenAIConnectionTimeoutError || error instanceof AnthropicConnectionTimeoutError) {
    return retryable("timeout");
  }
  // No response at all (refused, reset, DNS): nothing reached the model, so trying again is safe.
  if (error instanceof OpenAIConnectionError || error instanceof AnthropicConnectionError) {
    return retryable("connection");
  }
  if (error instanceof OpenAIAPIError || error instanceof AnthropicAPIError) {
    const status: unknown = error.status;
    const headers: unknown = error.headers;
    if (typeof status === "number") {
      return classifyStatus(status, headers instanceof Headers ? headers : undefined, options.nowMs, {
        retryable,
        fatal,
      });
    }
    // An APIError with no status and no connection subclass is something the SDK itself refused.
    return fatal("other");
  }

  // A fetch aborted outside the SDK: the only signal we hand to fetch is the caller's.
  if (hasName(error, "AbortError")) return aborted();
  // `AbortSignal.timeout()` and undici's own timers reject with a TimeoutError: the network was slow.
  if (hasName(error, "TimeoutError")) return retryable("timeout");
  // Socket/undici timeout codes anywhere in the cause chain: a slow network, worth another try.
  if (code && timeoutCodes.has(code)) return retryable("timeout");
  // Socket/DNS/undici connection codes anywhere in the cause chain: the connection failed or was cut.
  if (code && connectionCodes.has(code)) return retryable("connection");
  // undici's bare "fetch failed" / "terminated" TypeErrors are always network-level failures.
  if (error instanceof TypeError && /^(fetch failed|terminated)$/.test(error.message))
    return retryable("connection");
  // A 2xx whose body is not JSON is a truncated or garbled response (a proxy, a crashed worker);
  // the same request usually succeeds on another attempt.
  if (error instanceof SyntaxError) return retryable("server_error");
  // Anything else is a bug or a misuse (ours or the SDK's): retrying would repeat it.
  return fatal("other");
}

interface Builders {
  retryable: (reason: RetryableReason, status?: number, retryAfterMs?: number) => ProviderError;
  fatal: (reason: FatalReason, status?: number) => ProviderError;
}

/** The HTTP-status rules, in openai-node `shouldRetry` order. */
function classifyStatus(
  status: number,
  headers: Headers | undefined,
  nowMs: number | undefined,
  { retryable, fatal }: Builders,
): ProviderError {
  const retryAfterMs = parseRetryAfterMs(headers, nowMs);
  const shouldRetryHeader = headers?.get("x-should-retry");
  // The server knows whether this request can succeed later: its explicit verdict beats the status.
  if (shouldRetryHeader === "true") return retryable(retryableReasonFor(status), status, retryAfterMs);
  if (shouldRetryHeader === "false") return fatal(fatalReasonFor(status), status);
  // Request timeout: the server gave up waiting on us; a fresh attempt may be faster.
  if (status === 408) return retryable("timeout", status, retryAfterMs);
  // Conflict, used for lock timeouts: the competing request will have finished.
  if (status === 409) return retryable("conflict", status, retryAfterMs);
  // Rate limited: wait as told (`retry-after`) and the quota frees up.
  if (status === 429) return retryable("rate_limited", status, retryAfterMs);
  // Overloaded (Anthropic's 529) or unavailable (503): the fleet is short of capacity right now.
  if (status === 529 || status === 503) return retryable("overloaded", status, retryAfterMs);
  // Any other server error: the fault is theirs, not the request's.
  if (status >= 500) return retryable("server_error", status, retryAfterMs);
  // Any other status (4xx): the request itself is wrong; sending it again fails the same way.
  return fatal(fatalReasonFor(status), status);
}

/** The retryable reason a status implies; used when `x-should-retry: true` overrides the status. */
function retryableReasonFor(status: number): RetryableReason {
  if (status === 408) return "timeout";
  if (status === 409) return "conflict";
  if (status === 429) return "rate_limited";
  if (status === 529 || status === 503) return "overloaded";
  // A status that is not retryable by itself: the server said retry, so it is its own problem.
  return "server_error";
}

/** The fatal reason a status implies; used for 4xx and when `x-should-retry: false` overrides the status. */
function fatalReasonFor(status: number): FatalReason {
  if (status === 400) return "bad_request";
  if (status === 401) return "authentication";
  if (status === 403) return "permission";
  if (status === 404) return "not_found";
  if (status === 422) return "unprocessable";
  return "other";
}

function describe(error: unknown): string {
  if (error instanceof Error) return error.message || error.name;
  return String(error);
}

function hasName(error: unknown, name: string): boolean {
  return typeof error === "object" && error !== null && "name" in error && error.name === name;
}
