import { WebhookError } from "./webhook-error.ts";

/**
 * A re-send was asked for a delivery that is still pending (its tries are not over): wait for it
 * to finish, then retry. Maps to 409 `conflict_error`.
 */
export class DeliveryInFlightError extends WebhookError {
  override readonly name = "DeliveryInFlightError";
  readonly deliveryId: string;

  constructor(deliveryId: string, options?: { cause?: unknown }) {
    super(
      `webhook delivery ${deliveryId} is still pending; retry it once it has succeeded or failed`,
      options,
    );
    this.deliveryId = deliveryId;
  }
}
