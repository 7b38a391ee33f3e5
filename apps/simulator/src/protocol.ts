/**
 * What a vendor endpoint must provide: how it finds the API key, parses its request into the shared
 * {@link SimRequest}, words its errors and renders a plan as JSON or as an event stream. The request
 * pipeline is shared; only these shapes differ between OpenAI and Anthropic.
 */
import type { IncomingHttpHeaders } from "node:http";
import type { StatusFaultKind } from "./fault-kinds.ts";
import type { RateLimitState } from "./rate-limiter.ts";
import type { CompletionPlan, SimRequest } from "./simulate.ts";
import type { Validated } from "./validation.ts";

export type ProtocolName = "openai" | "anthropic";

/** Identity of one answer. */
export interface ResponseMeta {
  /** `chatcmpl-sim-…` or `msg_sim_…`. */
  id: string;
  /** Unix seconds. */
  created: number;
  model: string;
  /** Also sent as the vendor's request-id header. */
  requestId: string;
}

/** One piece of an event stream and how long to wait before sending it. */
export interface StreamChunk {
  text: string;
  waitMs: number;
}

/** Every error the simulator answers, in vendor-neutral terms; each protocol words and shapes it. */
export type ErrorCondition =
  | { kind: "missing_key" }
  | { kind: "invalid_key" }
  | { kind: "bad_json" }
  | { kind: "body_too_large" }
  | { kind: "invalid_request"; message: string; param: string | null }
  | { kind: "model_not_found"; model: string }
  /** Replay mode: the replay files hold no answer of this replay-only model to the prompt. */
  | { kind: "no_recorded_answer"; model: string }
  | { kind: "context_length"; model: string; limit: number; requested: number }
  | {
      kind: "rate_limited";
      model: string;
      exceeded: "requests" | "tokens";
      limit: number;
      retryAfterMs: number;
    }
  | { kind: "fault"; fault: StatusFaultKind; model: string }
  | { kind: "route_not_found"; method: string; path: string };

export interface ErrorResponse {
  status: number;
  body: unknown;
}

export interface ProtocolAdapter {
  readonly name: ProtocolName;
  /** Header carrying the request id (`x-request-id` / `request-id`). */
  readonly requestIdHeader: string;
  /** Prefix of answer ids. */
  readonly idPrefix: string;
  /** The API key the request carries, if any (empty strings count as none). */
  apiKey(headers: IncomingHttpHeaders): string | undefined;
  /** Validates the body; the texts keep their `[[sim]]` markers (the pipeline strips them). */
  parse(body: unknown): Validated<SimRequest>;
  error(condition: ErrorCondition, requestId: string): ErrorResponse;
  /** Headers describing rate-limit state, sent on every answer of a rate-limited model. */
  rateLimitHeaders(state: RateLimitState): Record<string, string>;
  completionBody(plan: CompletionPlan, meta: ResponseMeta, request: SimRequest): unknown;
  streamChunks(plan: CompletionPlan, meta: ResponseMeta, request: SimRequest): StreamChunk[];
}

/** `Authorization: Bearer <key>` → `<key>`. */
export function bearerToken(headers: IncomingHttpHeaders): string | undefined {
  const match = /^Bearer\s+(.+)$/i.exec(headers.authorization ?? "");
  const token = match?.[1]?.trim();
  return token ? token : undefined;
}
