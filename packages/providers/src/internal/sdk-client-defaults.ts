/**
 * Client options shared by both SDK clients.
 *
 * - `maxRetries: 0`: the router owns retries (with the classified error's `retryAfterMs`); SDK
 *   retries inside one attempt would hide failures from it and blow its time budget.
 * - `timeout`: very large on purpose. The router owns time limits and enforces them through the
 *   `AbortSignal` it passes per call; this is only a backstop for a call made without one. Setting
 *   it explicitly also stops the Anthropic SDK from refusing large non-streaming `max_tokens`.
 * - `logLevel: "off"`: packages don't log; failures reach the app as classified errors.
 */
export const sdkClientDefaults = {
  maxRetries: 0,
  timeout: 60 * 60 * 1000,
  logLevel: "off",
} as const;
