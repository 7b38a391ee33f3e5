import { contextFromMetadata, inSpan } from "@llmr/tracing";
import type { Span } from "@opentelemetry/api";
import { SpanKind, SpanStatusCode, trace } from "@opentelemetry/api";
import type { Job } from "bullmq";
import { UnrecoverableError } from "bullmq";
import type { Dispatcher } from "undici";
import { RetryDeliveryLaterError } from "../errors/retry-delivery-later-error.ts";
import type { WebhookSecrets } from "../secrets/webhook-secrets.ts";
import { signPayload } from "../signing/sign-payload.ts";
import type { DeliveryAttempt, WebhookEvent } from "./delivery-record.ts";
import { DeliveryJobSchema } from "./delivery-record.ts";
import type { TryResult } from "./send-webhook.ts";
import { sendWebhook } from "./send-webhook.ts";
import type { WebhookDeliveries } from "./webhook-deliveries.ts";

/**
 * What the processor tells the app (which logs it); packages don't log. Events carry the URL's
 * origin only (paths and queries of webhook URLs often hold tokens) and never a secret.
 */
export type DeliveryEvent = {
  tenant: string;
  jobId: string;
  deliveryId: string;
  event: WebhookEvent;
  /** `https://example.com:8443`: where it went, without path or query. */
  origin: string;
  attempt: DeliveryAttempt;
} & (
  | { type: "delivered" }
  | { type: "failed_attempt"; retryInMs: number }
  | { type: "gave_up"; reason: string }
);

/** What {@link createDeliveryProcessor} needs. */
export interface DeliveryProcessorDeps {
  deliveries: WebhookDeliveries;
  secrets: WebhookSecrets;
  /** The SSRF-guarded agent (`createGuardedAgent`); the caller closes it. */
  agent: Dispatcher;
  /**
   * Longest a try may take (connect, answer, the first bytes of the body); longer counts as a failed try.
   * @defaultValue 15000
   */
  timeoutMs?: number;
  onEvent?: (event: DeliveryEvent) => void;
  /** The clock. @defaultValue `() => new Date()` */
  now?: () => Date;
}

/**
 * The BullMQ processor of the `{webhooks}` queue: one run = one try of one delivery. It signs the
 * stored body with every active secret of the tenant and a fresh timestamp, POSTs it, and records
 * the try. Only a 2xx is a success. `410 Gone` and a blocked address end the delivery at once;
 * any other failure throws `RetryDeliveryLaterError` with the schedule's next wait, until the
 * last try of the schedule, after which the delivery is `failed`.
 */
export function createDeliveryProcessor(deps: DeliveryProcessorDeps) {
  const now = deps.now ?? (() => new Date());
  const emit = deps.onEvent ?? (() => undefined);
  const timeoutMs = deps.timeoutMs ?? 15_000;
  const store = deps.deliveries.store;

  const run = async (job: Job, span: Span): Promise<string> => {
    const payload = DeliveryJobSchema.safeParse(job.data);
    if (!payload.success)
      throw new UnrecoverableError(`malformed delivery payload: ${payload.error.message}`);
    const { tenant, job_id: jobId, delivery_id: deliveryId } = payload.data;
    span.setAttributes({ "llmr.job.id": jobId, "llmr.delivery.id": deliveryId });

    const stored = await store.get(jobId, deliveryId);
    // Expired, or settled by another run (a duplicate job): nothing to send.
    if (!stored || stored.tenant !== tenant) return "gone";
    if (stored.delivery.status !== "pending") return "settled";
    const { delivery, body } = stored;

    const secrets = await deps.secrets.signingSecrets(tenant);
    const n = await store.nextTry(jobId, deliveryId);
    const sentAt = now();
    const headers = signPayload({ id: deliveryId, timestamp: sentAt, body, secrets });
    const result = await sendWebhook({ url: delivery.url, body, headers, dispatcher: deps.agent, timeoutMs });
    const attempt = toAttempt(n, sentAt, result);
    traceTry(span, delivery.event, new URL(delivery.url), attempt);
    const base = {
      tenant,
      jobId,
      deliveryId,
      event: delivery.event,
      origin: new URL(delivery.url).origin,
      attempt,
    };

    if (result.kind === "answered" && result.statusCode >= 200 && result.statusCode < 300) {
      await store.recordTry(jobId, deliveryId, attempt, {
        status: "succeeded",
        reason: null,
        at: now().toISOString(),
      });
      emit({ ...base, type: "delivered" });
      return "delivered";
    }

    const bullAttempt = job.attemptsMade + 1;
    const lastTry = bullAttempt >= (job.opts.attempts ?? 1);
    const finalReason =
      finalFailure(result) ??
      (lastTry ? `no 2xx answer after the last try (${describe(result)})` : undefined);
    if (finalReason !== undefined) {
      await store.recordTry(jobId, deliveryId, attempt, {
        status: "failed",
        reason: finalReason,
        at: now().toISOString(),
      });
      emit({ ...base, type: "gave_up", reason: finalReason });
      return "failed";
    }

    await store.recordTry(jobId, deliveryId, attempt);
    const retryInMs = deps.deliveries.waitBeforeNextTryMs(bullAttempt);
    emit({ ...base, type: "failed_attempt", retryInMs });
    throw new RetryDeliveryLaterError(retryInMs, `webhook try ${n} failed (${describe(result)})`);
  };

  // One `llmr.webhook.delivery` span per try, in the trace the delivery was queued under.
  return function processDelivery(job: Job): Promise<string> {
    return inSpan(
      tracer,
      "llmr.webhook.delivery",
      {
        kind: SpanKind.CONSUMER,
        parent: contextFromMetadata(job.opts.telemetry?.metadata),
        attributes: { "messaging.system": "bullmq", "messaging.destination.name": job.queueName },
        // A failed try is marked by `traceTry`; "retry later" only steers BullMQ.
        isFailure: (error) => !(error instanceof RetryDeliveryLaterError),
      },
      async (span) => {
        const outcome = await run(job, span);
        span.setAttribute("llmr.webhook.outcome", outcome);
        return outcome;
      },
    );
  };
}

const tracer = trace.getTracer("@llmr/webhooks");

/** The try on its span: where it went (origin only: paths often hold tokens) and how it ended. */
function traceTry(span: Span, event: WebhookEvent, url: URL, attempt: DeliveryAttempt): void {
  if (!span.isRecording()) return;
  span.setAttributes({
    "llmr.webhook.event": event,
    "llmr.webhook.try": attempt.n,
    "server.address": url.hostname,
    "url.scheme": url.protocol.replace(":", ""),
    ...(attempt.status_code === null ? {} : { "http.response.status_code": attempt.status_code }),
  });
  const ok = attempt.status_code !== null && attempt.status_code >= 200 && attempt.status_code < 300;
  if (!ok)
    span.setStatus({ code: SpanStatusCode.ERROR, message: attempt.error ?? `HTTP ${attempt.status_code}` });
}

/** A failure that no later try can fix, or undefined. */
function finalFailure(result: TryResult): string | undefined {
  // The receiver says the endpoint is gone for good (the spec: stop sending).
  if (result.kind === "answered" && result.statusCode === 410) return "410 Gone";
  // The guard refused the address: the URL points inward (or was rebound there).
  if (result.kind === "no_answer" && result.blocked) return result.error;
  return undefined;
}

function describe(result: TryResult): string {
  if (result.kind === "no_answer") return result.error;
  const redirect = result.statusCode >= 300 && result.statusCode < 400 ? ", redirects are not followed" : "";
  return `HTTP ${result.statusCode}${redirect}`;
}

function toAttempt(n: number, sentAt: Date, result: TryResult): DeliveryAttempt {
  return {
    n,
    at: sentAt.toISOString(),
    status_code: result.kind === "answered" ? result.statusCode : null,
    error: result.kind === "no_answer" ? result.error : null,
    duration_ms: result.durationMs,
    response_body: result.kind === "answered" && result.responseBody !== "" ? result.responseBody : null,
  };
}
