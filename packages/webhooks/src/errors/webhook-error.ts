/**
 * The root of this package's errors, so an app can tell ours apart with one `instanceof`.
 * No message of this hierarchy ever contains a signing secret.
 */
export class WebhookError extends Error {
  override readonly name: string = "WebhookError";
}
