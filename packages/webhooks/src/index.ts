export { DELIVERY_ID_PATTERN, deliveryIdFor, newDeliveryId } from "./delivery/delivery-id.ts";
export type { DeliveryEvent, DeliveryProcessorDeps } from "./delivery/delivery-processor.ts";
export { createDeliveryProcessor } from "./delivery/delivery-processor.ts";
export type {
  Delivery,
  DeliveryAttempt,
  DeliveryJob,
  DeliveryStatus,
  EnqueueDeliveryInput,
  WebhookEvent,
} from "./delivery/delivery-record.ts";
export { DeliveryJobSchema, WEBHOOK_EVENTS } from "./delivery/delivery-record.ts";
export type { DeliveryWorkerOptions } from "./delivery/delivery-worker.ts";
export { deliveryBackoffStrategy, startDeliveryWorker } from "./delivery/delivery-worker.ts";
export { DEFAULT_RETRY_SCHEDULE_MS, waitBeforeNextTryMs } from "./delivery/retry-schedule.ts";
export type { TryResult } from "./delivery/send-webhook.ts";
export { RESPONSE_EXCERPT_BYTES, sendWebhook } from "./delivery/send-webhook.ts";
export type { WebhookDeliveriesOptions } from "./delivery/webhook-deliveries.ts";
export { WEBHOOK_BACKOFF, WEBHOOK_QUEUE_NAME, WebhookDeliveries } from "./delivery/webhook-deliveries.ts";
export { BlockedAddressError } from "./errors/blocked-address-error.ts";
export { DeliveryInFlightError } from "./errors/delivery-in-flight-error.ts";
export { DeliveryNotFoundError } from "./errors/delivery-not-found-error.ts";
export { InvalidSecretError } from "./errors/invalid-secret-error.ts";
export { RetryDeliveryLaterError } from "./errors/retry-delivery-later-error.ts";
export { WebhookError } from "./errors/webhook-error.ts";
export type { WebhookSecretInfo, WebhookSecretsOptions } from "./secrets/webhook-secrets.ts";
export { WebhookSecrets } from "./secrets/webhook-secrets.ts";
export type { SignInput, WebhookHeaders } from "./signing/sign-payload.ts";
export { signPayload } from "./signing/sign-payload.ts";
export { decodeWebhookSecret, newWebhookSecret, SECRET_PREFIX } from "./signing/webhook-secret.ts";
export type { AddressVerdict, BlockedCategory } from "./ssrf/address-policy.ts";
export { checkAddress } from "./ssrf/address-policy.ts";
export type { CheckWebhookUrlOptions, WebhookUrlCheck } from "./ssrf/check-webhook-url.ts";
export { checkWebhookUrl, MAX_WEBHOOK_URL_LENGTH } from "./ssrf/check-webhook-url.ts";
export type { GuardedAgentOptions } from "./ssrf/guarded-agent.ts";
export { createGuardedAgent, guardedLookup } from "./ssrf/guarded-agent.ts";
export type { ResolvedAddress, Resolver } from "./ssrf/resolver.ts";
export { systemResolver } from "./ssrf/resolver.ts";
