import { createHash } from "node:crypto";
import type { RedisClient, RedisKeys } from "@llmr/core";
import type { RequestHandler } from "express";
import { HttpError } from "./http-error.ts";

/** Stripe keeps keys 24 h; so do we. */
const RESULT_TTL_MS = 24 * 3_600_000;
/**
 * How long a claim lasts while its first request runs. If the API dies mid-request the key frees
 * itself after this, instead of answering 409 for a day.
 */
const IN_FLIGHT_TTL_MS = 60_000;
const MAX_KEY_LENGTH = 255;

interface StoredOutcome {
  state: "in_flight" | "done";
  /** SHA-256 of the canonical JSON body: same key + different body is a client bug (422). */
  body: string;
  status?: number;
  location?: string;
  response?: unknown;
}

/**
 * `Idempotency-Key` as Stripe and the IETF draft have it: scoped to the API key; the same key and
 * body get the first request's answer again (errors included, `Idempotent-Replayed: true`); the
 * same key with another body gets 422; while the first request runs, 409. One `SET NX` decides who
 * is first, so fifty concurrent requests with one key make exactly one job.
 */
export function idempotency(redis: RedisClient, keys: RedisKeys): RequestHandler {
  return async (req, res, next) => {
    const key = req.get("idempotency-key");
    if (key === undefined) {
      next();
      return;
    }
    if (key.length === 0 || key.length > MAX_KEY_LENGTH) {
      throw new HttpError(
        400,
        "invalid_request_error",
        `Idempotency-Key must be 1 to ${MAX_KEY_LENGTH} characters`,
        {
          param: "Idempotency-Key",
        },
      );
    }
    const redisKey = keys.idempotency(res.locals.tenant, sha256(key));
    const body = sha256(canonicalJson(req.body));
    const claim: StoredOutcome = { state: "in_flight", body };
    const claimed = await redis.set(redisKey, JSON.stringify(claim), "PX", IN_FLIGHT_TTL_MS, "NX");
    if (claimed === null) {
      const raw = await redis.get(redisKey);
      if (raw === null) {
        // The claim expired in between: ask the client to retry rather than racing again.
        throw new HttpError(
          409,
          "conflict_error",
          "a request with this Idempotency-Key just finished; retry it",
        );
      }
      const stored = JSON.parse(raw) as StoredOutcome;
      if (stored.body !== body) {
        throw new HttpError(
          422,
          "idempotency_mismatch",
          "this Idempotency-Key was used with a different request body; use a new key for a new request",
        );
      }
      if (stored.state === "in_flight") {
        throw new HttpError(
          409,
          "conflict_error",
          "a request with this Idempotency-Key is still in progress; retry later",
          {
            headers: { "Retry-After": "1" },
          },
        );
      }
      res.status(stored.status ?? 200).set("Idempotent-Replayed", "true");
      if (stored.location) res.location(stored.location);
      res.json(stored.response);
      return;
    }

    // Keep the answer before it leaves, so that a retry right after it sees it. A 5xx is not kept:
    // the client should be able to try again with the same key.
    const send = res.json.bind(res);
    res.json = (response: unknown) => {
      const outcome: StoredOutcome = {
        state: "done",
        body,
        status: res.statusCode,
        response,
        ...(res.get("location") ? { location: res.get("location") } : {}),
      };
      const saved =
        res.statusCode >= 500
          ? redis.del(redisKey)
          : redis.set(redisKey, JSON.stringify(outcome), "PX", RESULT_TTL_MS);
      void saved.catch(() => undefined).finally(() => send(response));
      return res;
    };
    next();
  };
}

function sha256(text: string): string {
  return createHash("sha256").update(text, "utf8").digest("hex");
}

/** JSON with object keys sorted, so that `{"a":1,"b":2}` and `{"b":2,"a":1}` are the same body. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (value !== null && typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) =>
      a < b ? -1 : a > b ? 1 : 0,
    );
    return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${canonicalJson(item)}`).join(",")}}`;
  }
  return JSON.stringify(value) ?? "null";
}
