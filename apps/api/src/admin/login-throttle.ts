import { readFileSync } from "node:fs";
import type { Redis } from "ioredis";

// The per-API-key limiter's GCRA script (`http/rate-limit.ts`), reused under its command name:
// the same exact, Redis-clocked limit, shared by every API process.
const SCRIPT = readFileSync(new URL("../lua/key-rate-limit-1.lua", import.meta.url), "utf8");

/**
 * Login tries allowed at once from one address, then one per {@link LOGIN_INTERVAL_MS}. Operator
 * tokens are long random strings, so this is not what keeps them safe; it keeps a guessing loop
 * from turning into a flood of Redis writes and log lines.
 */
export const LOGIN_BURST = 10;
export const LOGIN_INTERVAL_MS = 6_000;

/** The verdict on one login try. */
export type LoginThrottleVerdict = { allowed: true } | { allowed: false; retryAfterS: number };

/**
 * Limits login tries per client address (the socket's: `trust proxy` is off, so behind a proxy
 * every operator shares one budget, which errs on the safe side). Unlike the per-key API limit it
 * does not let requests through when Redis fails: a login needs Redis for its session anyway.
 */
export function loginThrottle(
  redis: Pick<Redis, "defineCommand" | "llmrKeyRateLimit">,
  keyPrefix: string,
): (clientAddress: string) => Promise<LoginThrottleVerdict> {
  redis.defineCommand("llmrKeyRateLimit", { numberOfKeys: 1, lua: SCRIPT });
  return async (clientAddress) => {
    const [allowed, , retryAfterMs] = await redis.llmrKeyRateLimit(
      `${keyPrefix}:ratelimit:{operator-login:${clientAddress}}`,
      String(LOGIN_INTERVAL_MS),
      String(LOGIN_BURST),
    );
    if (allowed === 1) return { allowed: true };
    return { allowed: false, retryAfterS: Math.max(1, Math.ceil(retryAfterMs / 1000)) };
  };
}
