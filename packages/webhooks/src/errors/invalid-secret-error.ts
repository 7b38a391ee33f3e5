import { WebhookError } from "./webhook-error.ts";

/**
 * A signing secret is not `whsec_` + base64 of at least 16 bytes. The message never repeats the
 * secret: it is a secret even when it is malformed.
 */
export class InvalidSecretError extends WebhookError {
  override readonly name = "InvalidSecretError";

  constructor(
    message = "a webhook secret must be whsec_ followed by the base64 of 16 to 64 bytes",
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
