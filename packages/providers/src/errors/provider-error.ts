import type { FatalReason } from "./fatal-provider-error.ts";
import type { RetryableReason } from "./retryable-provider-error.ts";

/** Every reason a provider call can fail for; each subclass narrows it to its own set. */
export type ProviderErrorReason = RetryableReason | FatalReason | "aborted";

/** What every provider error is built from. */
export interface ProviderErrorOptions<TReason extends ProviderErrorReason = ProviderErrorReason> {
  /** The provider's id in the config (`openai`, `local-vllm`, ...). */
  providerId: string;
  reason: TReason;
  /** HTTP status of the failed response, when there was a response. */
  status?: number | undefined;
  /** Overrides the class's default message; must already be free of secrets. */
  message?: string | undefined;
  /** The error this one classifies (an SDK error, a Node socket error, ...). Pass it whenever there is one. */
  cause?: unknown;
}

/**
 * Base of the provider error hierarchy. The router never sees an SDK error class: adapters
 * classify every failure once (see `classifyProviderError`) into one of the subclasses, named for
 * the decision they force: {@link RetryableProviderError}, {@link FatalProviderError} or
 * {@link ProviderAbortedError}.
 *
 * @example
 * ```ts
 * try {
 *   await provider.complete(request, { signal });
 * } catch (error) {
 *   if (error instanceof ProviderError) logger.warn({ provider: error.providerId, reason: error.reason }, error.message);
 * }
 * ```
 */
export class ProviderError extends Error {
  static readonly defaultMessage: string = "The provider call failed.";

  override name = "ProviderError";
  readonly providerId: string;
  readonly reason: ProviderErrorReason;
  /** HTTP status of the failed response; `undefined` when no response arrived (socket error, abort). */
  readonly status: number | undefined;

  constructor(options: ProviderErrorOptions) {
    super(options.message ?? new.target.defaultMessage, { cause: options.cause });
    this.providerId = options.providerId;
    this.reason = options.reason;
    this.status = options.status;
  }
}
