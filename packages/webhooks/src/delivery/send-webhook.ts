import type { Dispatcher } from "undici";
import { request } from "undici";
import { BlockedAddressError } from "../errors/blocked-address-error.ts";
import type { WebhookHeaders } from "../signing/sign-payload.ts";

/** At most this much of an answer is kept: enough to debug, never a stored copy of the receiver's page. */
export const RESPONSE_EXCERPT_BYTES = 256;
/** Error texts are cut here: they end up in the delivery record and the API's answers. */
const MAX_ERROR_CHARS = 200;
const USER_AGENT = "llmr-webhooks/0.1";

/** What one try of a delivery came to. */
export type TryResult =
  | { kind: "answered"; statusCode: number; durationMs: number; responseBody: string }
  | {
      kind: "no_answer";
      error: string;
      /** The connection was refused by the SSRF guard: trying again cannot help. */
      blocked: boolean;
      durationMs: number;
    };

/** What {@link sendWebhook} needs. */
export interface SendWebhookInput {
  url: string;
  body: string;
  headers: WebhookHeaders;
  /** The guarded agent (`createGuardedAgent`): every connection goes through the SSRF check. */
  dispatcher: Dispatcher;
  /** The whole try (connect, answer, the excerpt of the body) must be over by then. */
  timeoutMs: number;
}

/**
 * POSTs one signed webhook, once. Redirects are not followed (undici's `request` never follows
 * them; a 3xx is reported like any other status, so the caller counts it as a failed try). Never
 * throws for the receiver's sake: timeouts, refused and blocked connections come back as
 * `no_answer`.
 *
 * @example
 * ```ts
 * const result = await sendWebhook({ url, body, headers, dispatcher: agent, timeoutMs: 15_000 });
 * if (result.kind === "answered" && result.statusCode < 300) { ... }
 * ```
 */
export async function sendWebhook(input: SendWebhookInput): Promise<TryResult> {
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  const signal = AbortSignal.timeout(input.timeoutMs);
  let response: Dispatcher.ResponseData;
  try {
    response = await request(input.url, {
      method: "POST",
      dispatcher: input.dispatcher,
      headers: { ...input.headers, "content-type": "application/json", "user-agent": USER_AGENT },
      body: input.body,
      signal,
    });
  } catch (error) {
    return { kind: "no_answer", ...describeFailure(error, input.timeoutMs), durationMs: elapsed() };
  }
  const responseBody = await readExcerpt(response.body);
  return { kind: "answered", statusCode: response.statusCode, durationMs: elapsed(), responseBody };
}

/** The first bytes of the answer; the rest is dropped with the connection. A body that breaks off is fine. */
async function readExcerpt(body: Dispatcher.ResponseData["body"]): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of body) {
      const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as Uint8Array);
      chunks.push(buffer);
      size += buffer.length;
      if (size >= RESPONSE_EXCERPT_BYTES) break;
    }
  } catch {
    // The answer's status is what counts; a body cut off by the timeout changes nothing.
  } finally {
    body.destroy();
  }
  return sanitizeExcerpt(Buffer.concat(chunks).subarray(0, RESPONSE_EXCERPT_BYTES));
}

/**
 * Text safe to store and to show: decoded as UTF-8 (a character cut in half becomes U+FFFD),
 * control characters (newlines included) turned into spaces so it cannot forge log lines.
 */
export function sanitizeExcerpt(bytes: Uint8Array): string {
  return Buffer.from(bytes)
    .toString("utf8")
    .replace(/\p{Cc}/gu, " ")
    .trim();
}

function describeFailure(error: unknown, timeoutMs: number): { error: string; blocked: boolean } {
  const blocked = findCause(error, (cause) => cause instanceof BlockedAddressError);
  if (blocked) return { error: clip(blocked.message), blocked: true };
  if (findCause(error, (cause) => cause.name === "TimeoutError")) {
    return { error: `no answer within ${timeoutMs} ms`, blocked: false };
  }
  const inner = findCause(error, (cause) => typeof (cause as { code?: unknown }).code === "string") ?? error;
  const code = (inner as { code?: unknown }).code;
  const message = inner instanceof Error ? inner.message : String(inner);
  return {
    error: clip(typeof code === "string" && !message.includes(code) ? `${code}: ${message}` : message),
    blocked: false,
  };
}

/** Walks `error` and its `cause`s (and an AggregateError's errors) for the first match. */
function findCause(error: unknown, match: (error: Error) => boolean, depth = 0): Error | undefined {
  if (!(error instanceof Error) || depth > 5) return undefined;
  if (match(error)) return error;
  if (error instanceof AggregateError) {
    for (const inner of error.errors) {
      const found = findCause(inner, match, depth + 1);
      if (found) return found;
    }
  }
  return findCause(error.cause, match, depth + 1);
}

function clip(text: string): string {
  return text.length > MAX_ERROR_CHARS ? `${text.slice(0, MAX_ERROR_CHARS - 1)}…` : text;
}
