import { ProviderError, type ProviderErrorOptions } from "./provider-error.ts";

/** Why a call may succeed if tried again later. */
export type RetryableReason =
  | "rate_limited"
  | "overloaded"
  | "server_error"
  | "timeout"
  | "connection"
  | "conflict";

export interface RetryableProviderErrorOptions extends ProviderErrorOptions<RetryableReason> {
  /** How long the provider asked us to wait before the next attempt (already capped). */
  retryAfterMs?: number | undefined;
}

/**
 * The call failed for a reason that may pass: the same request can be sent again, after
 * `retryAfterMs` when the provider said how long to wait, else after the router's own backoff.
 *
 * @example
 * ```ts
 * if (error instanceof RetryableProviderError) await queue.retryLater(job, error.retryAfterMs ?? backoffMs);
 * ```
 */
export class RetryableProviderError extends ProviderError {
  static override readonly defaultMessage: string =
    "The provider failed for a transient reason; try again later.";

  override name = "RetryableProviderError";
  declare readonly reason: RetryableReason;
  /** The provider's `retry-after-ms` / `retry-after`, in milliseconds; `undefined` when it gave none. */
  readonly retryAfterMs: number | undefined;

  constructor(options: RetryableProviderErrorOptions) {
    super(options);
    this.retryAfterMs = options.retryAfterMs;
  }
}
