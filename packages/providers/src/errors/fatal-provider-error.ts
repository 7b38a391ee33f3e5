import { ProviderError, type ProviderErrorOptions } from "./provider-error.ts";

/** Why sending the same request again cannot help. */
export type FatalReason =
  | "bad_request"
  | "authentication"
  | "permission"
  | "not_found"
  | "unprocessable"
  | "other";

/**
 * The provider rejected the request itself (bad input, bad key, unknown model, ...): retrying the
 * same request to the same provider would fail the same way. The router may still fall back to
 * another provider or model.
 *
 * @example
 * ```ts
 * if (error instanceof FatalProviderError && error.reason === "not_found") markModelUnavailable(model);
 * ```
 */
export class FatalProviderError extends ProviderError {
  static override readonly defaultMessage: string =
    "The provider rejected the request; sending it again will not help.";

  override name = "FatalProviderError";
  declare readonly reason: FatalReason;

  // Narrows the accepted reasons to FatalReason.
  constructor(options: ProviderErrorOptions<FatalReason>) {
    super(options);
  }
}
