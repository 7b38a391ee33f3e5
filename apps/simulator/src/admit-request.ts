/**
 * Everything a completion request must pass before the model "runs", in the order the real APIs
 * check it: body, auth, schema, model, marker, context window, rate limit. Each failure is answered
 * here in the vendor's shape; what passes comes out normalised, with its markers stripped.
 */
import { readBody } from "./http-io.ts";
import { parseDirectives, type SimDirectives, stripMarkers } from "./marker.ts";
import type { SimulatedModel } from "./model-table.ts";
import type { RateLimitState } from "./rate-limiter.ts";
import type { RequestScope } from "./request-scope.ts";
import { hashHex } from "./rng.ts";
import type { SimRequest } from "./simulate.ts";
import { countPromptTokens } from "./tokenizer.ts";

export interface AdmittedRequest {
  request: SimRequest;
  modelId: string;
  model: SimulatedModel;
  directives: SimDirectives;
  /** Hash of the raw texts, markers included: "the same marker + prompt" for `times=`. */
  contentKey: string;
  inputTokens: number;
  rateLimit: RateLimitState;
}

/** Resolves the admitted request, or undefined when it was answered (or the client left) already. */
export async function admitRequest(scope: RequestScope): Promise<AdmittedRequest | undefined> {
  const { runtime, protocol } = scope;
  const body = await readBody(scope.req);
  if (body.kind === "closed") return undefined;
  if (body.kind === "too_large") return failWith(scope, { kind: "body_too_large" });

  const apiKey = protocol.apiKey(scope.req.headers);
  if (apiKey === undefined) return failWith(scope, { kind: "missing_key" });
  if (runtime.options.apiKeys && !runtime.options.apiKeys.has(apiKey)) {
    return failWith(scope, { kind: "invalid_key" });
  }

  let json: unknown;
  try {
    json = JSON.parse(body.text);
  } catch {
    return failWith(scope, { kind: "bad_json" });
  }
  const parsed = protocol.parse(json);
  if (!parsed.ok)
    return failWith(scope, { kind: "invalid_request", message: parsed.message, param: parsed.param });
  const raw = parsed.value;
  runtime.stats.recordModel(raw.model);
  const model = runtime.models.get(raw.model);
  if (!model) return failWith(scope, { kind: "model_not_found", model: raw.model });

  const contentKey = hashHex(raw.system, ...raw.messages.map((turn) => `${turn.role}:${turn.content}`));
  const system = stripMarkers(raw.system);
  const messages = raw.messages.map((turn) => ({ role: turn.role, stripped: stripMarkers(turn.content) }));
  const pairs: Record<string, string> = { ...system.pairs };
  for (const turn of messages) Object.assign(pairs, turn.stripped.pairs);
  const directives = parseDirectives(pairs);
  if (!directives.ok)
    return failWith(scope, { kind: "invalid_request", message: directives.message, param: null });
  const request: SimRequest = {
    ...raw,
    system: system.text,
    messages: messages.map((turn) => ({ role: turn.role, content: turn.stripped.text })),
  };

  const inputTokens = countPromptTokens(request.system, request.messages);
  if (inputTokens > model.contextWindowTokens) {
    return failWith(scope, {
      kind: "context_length",
      model: raw.model,
      limit: model.contextWindowTokens,
      requested: inputTokens,
    });
  }

  // Like the vendors, the token budget counts the input plus the most the answer may use.
  const requestedTokens = inputTokens + (request.maxOutputTokens ?? model.maxOutputTokens);
  const admission = runtime.limiter.admit(raw.model, requestedTokens, { rpm: model.rpm, tpm: model.tpm });
  if (!admission.admitted) {
    const retryAfterMs = Math.ceil(admission.retryAfterMs);
    const limit = (admission.exceeded === "requests" ? model.rpm : model.tpm) ?? 0;
    scope.fail(
      { kind: "rate_limited", model: raw.model, exceeded: admission.exceeded, limit, retryAfterMs },
      {
        ...protocol.rateLimitHeaders(admission.state),
        "retry-after": String(Math.max(1, Math.ceil(retryAfterMs / 1000))),
        "retry-after-ms": String(retryAfterMs),
      },
    );
    return undefined;
  }
  runtime.stats.recordAdmittedTokens(raw.model, requestedTokens);

  return {
    request,
    modelId: raw.model,
    model,
    directives: directives.value,
    contentKey,
    inputTokens,
    rateLimit: admission.state,
  };
}

function failWith(scope: RequestScope, condition: Parameters<RequestScope["fail"]>[0]): undefined {
  scope.fail(condition);
  return undefined;
}
