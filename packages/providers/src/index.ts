/**
 * `@llmr/providers`: the narrow provider interface, one adapter per wire protocol, and the single
 * place where vendor errors become retryable / fatal / aborted.
 */

export {
  type ClassifyProviderErrorOptions,
  classifyProviderError,
} from "./classify-provider-error.ts";
export { FatalProviderError, type FatalReason } from "./errors/fatal-provider-error.ts";
export { ProviderAbortedError } from "./errors/provider-aborted-error.ts";
export {
  ProviderError,
  type ProviderErrorOptions,
  type ProviderErrorReason,
} from "./errors/provider-error.ts";
export {
  RetryableProviderError,
  type RetryableProviderErrorOptions,
  type RetryableReason,
} from "./errors/retryable-provider-error.ts";
export { maxRetryAfterMs } from "./internal/retry-after.ts";
export { createProvider, type ProviderFactory, providerFactories } from "./registry.ts";
export type {
  ChatMessage,
  CompletionOptions,
  CompletionRequest,
  CompletionResult,
  FinishReason,
  Provider,
  ProviderKind,
  ProviderSettings,
  ResponseFormat,
  TokenLogprob,
  TokenUsage,
  WireProtocol,
} from "./types.ts";
