import { ProviderError, type ProviderErrorOptions } from "./provider-error.ts";

/**
 * The caller's `AbortSignal` fired and the HTTP call was cut (the socket is closed). Neither
 * retryable nor fatal: the caller aborted for its own reason (a deadline, a cancelled job, a
 * shutdown) and is the one to decide what happens next. `cause` is what the call failed with
 * (usually the SDK's `APIUserAbortError`, whose own `cause` is the signal's `reason`).
 *
 * @example
 * ```ts
 * const signal = AbortSignal.timeout(30_000);
 * await provider.complete(request, { signal }).catch((error) => {
 *   if (error instanceof ProviderAbortedError) return markTimedOut(job);
 *   throw error;
 * });
 * ```
 */
export class ProviderAbortedError extends ProviderError {
  static override readonly defaultMessage: string = "The provider call was aborted by the caller.";

  override name = "ProviderAbortedError";
  declare readonly reason: "aborted";

  constructor(options: Omit<ProviderErrorOptions<"aborted">, "reason" | "status">) {
    super({ ...options, reason: "aborted" });
  }
}
