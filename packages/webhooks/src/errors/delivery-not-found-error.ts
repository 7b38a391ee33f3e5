import { WebhookError } from "./webhook-error.ts";

/**
 * No such delivery for this job and tenant (another tenant's delivery is reported exactly like an
 * unknown one). Maps to 404 `not_found_error`.
 */
export class DeliveryNotFoundError extends WebhookError {
  override readonly name = "DeliveryNotFoundError";
  readonly deliveryId: string;

  constructor(deliveryId: string, options?: { cause?: unknown }) {
    super(`no webhook delivery ${deliveryId} for this job`, options);
    this.deliveryId = deliveryId;
  }
}
