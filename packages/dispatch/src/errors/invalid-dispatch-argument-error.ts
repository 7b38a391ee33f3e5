/**
 * An option or argument given to the rate limiter or the circuit breaker is out of range (a
 * programming or configuration mistake, never a provider condition): fix the caller. The message
 * names the field, e.g. `estimatedTokens: Too small: expected number to be >=0`.
 */
export class InvalidDispatchArgumentError extends Error {
  override readonly name = "InvalidDispatchArgumentError";

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}
