import { readFileSync } from "node:fs";
import type { RedisClient } from "@llmr/core";
import type { RequestHandler } from "express";
import type { Result } from "ioredis";
import { HttpError } from "./http-error.ts";

const SCRIPT = readFileSync(new URL("../lua/key-rate-limit-1.lua", import.meta.url), "utf8");

declare module "ioredis" {
  interface RedisCommander<Context> {
    llmrKeyRateLimit(
      key: string,
      intervalMs: string,
      burst: string,
    ): Result<[number, number, number, number], Context>;
  }
}

export interface KeyRateLimit {
  requestsPerMinute: number;
  burst: number;
}

/**
 * Per-API-key request limit (`api.rate_limit`), held in Redis so it applies across API processes,
 * with one key per tenant so one key's flood never slows another's. Answers carry the IETF
 * `RateLimit-Policy` / `RateLimit` headers; beyond the limit, 429 with `Retry-After`.
 * If Redis cannot be asked, the request goes through: the limiter must not turn a Redis hiccup
 * into refusals (whatever the request needs from Redis answers 503 on its own).
 */
export function keyRateLimit(redis: RedisClient, keyPrefix: string, limit: KeyRateLimit): RequestHandler {
  redis.defineCommand("llmrKeyRateLimit", { numberOfKeys: 1, lua: SCRIPT });
  const intervalMs = 60_000 / limit.requestsPerMinute;
  const policy = `"per-key";q=${limit.requestsPerMinute};w=60;burst=${limit.burst}`;
  return async (_req, res, next) => {
    let verdict: [number, number, number, number];
    try {
      verdict = await redis.llmrKeyRateLimit(
        `${keyPrefix}:ratelimit:{${res.locals.tenant}}`,
        String(intervalMs),
        String(limit.burst),
      );
    } catch {
      next();
      return;
    }
    const [allowed, remaining, retryAfterMs, resetMs] = verdict;
    res.set("RateLimit-Policy", policy);
    res.set("RateLimit", `"per-key";r=${remaining};t=${Math.ceil(resetMs / 1000)}`);
    if (allowed === 1) {
      next();
      return;
    }
    const retryAfterS = Math.max(1, Math.ceil(retryAfterMs / 1000));
    next(
      new HttpError(
        429,
        "rate_limit_error",
        `too many requests for this API key; retry in ${retryAfterS} s`,
        {
          headers: { "Retry-After": String(retryAfterS) },
        },
      ),
    );
  };
}
