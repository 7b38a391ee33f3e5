import { WebhookError } from "./webhook-error.ts";

/**
 * Thrown by the delivery processor so that BullMQ runs the delivery again after `delayMs` (read by
 * `deliveryBackoffStrategy`). The failed try is already on the delivery record.
 */
export class RetryDeliveryLaterError extends WebhookError {
  override readonly name = "RetryDeliveryLaterError";
  readonly delayMs: number;

  constructor(
    delayMs: number,
    message = "the webhook try failed and will be retried",
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.delayMs = delayMs;
  }
}
