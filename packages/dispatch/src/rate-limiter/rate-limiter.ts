import type { Cluster, Redis } from "ioredis";
import { DispatchKeys } from "../dispatch-keys.ts";
import { parseArguments } from "../parse-arguments.ts";
import type { LuaReply } from "./limiter-commands.ts";
import { defineLimiterCommands } from "./limiter-commands.ts";
import type {
  AcquireRequest,
  AcquireResult,
  LimiterUsage,
  RateLimiterOptions,
  RefusalReason,
  ResolvedRateLimiterOptions,
  SettleRequest,
} from "./limiter-options.ts";
import {
  AcquireRequestSchema,
  CoolDownRequestSchema,
  RateLimiterOptionsSchema,
  SettleRequestSchema,
} from "./limiter-options.ts";

/**
 * Most permits a refusal reads to work out its wait: bounds the work of one refusal (a few hundred
 * microseconds) whatever the RPM; past it the wait given is a lower bound and the caller asks again.
 */
const MAX_PERMITS_READ_FOR_WAIT = 1000;
/** Keeps `share × budget` from flooring one unit short when the float lands just under it. */
const FLOAT_SLACK = 1e-9;
const REFUSAL_REASONS: ReadonlySet<string> = new Set<RefusalReason>([
  "cooling_down",
  "rpm",
  "tpm",
  "interactive_reserve",
]);

/**
 * Per-deployment RPM and TPM budgets shared by every worker process on every machine, kept in
 * Redis and decided by one Lua script per admission (sliding window, Redis clock; see
 * `lua/acquire-4.lua`). Interactive work has a reserved share of each budget that batch work may
 * borrow only while interactive work is idle. A 429 puts the deployment in cool-down.
 *
 * @example
 * ```ts
 * const limiter = new RateLimiter(redis, { prefix: "llmr" });
 * const permit = await limiter.acquire({ deployment: "fast/gpt-5.4-nano", estimatedTokens: 900,
 *   rpm: 500, tpm: 200_000, klass: "interactive" });
 * if (permit.admitted) {
 *   // ... call the provider, then:
 *   await limiter.settle({ deployment: "fast/gpt-5.4-nano", permitId: permit.permitId, actualTokens: 412 });
 * }
 * ```
 */
export class RateLimiter {
  readonly #redis: Redis | Cluster;
  readonly #keys: DispatchKeys;
  readonly #options: ResolvedRateLimiterOptions;

  constructor(redis: Redis | Cluster, options: RateLimiterOptions = {}) {
    this.#options = parseArguments(RateLimiterOptionsSchema, options, "rate limiter options");
    this.#keys = new DispatchKeys(this.#options.prefix);
    this.#redis = redis;
    defineLimiterCommands(redis);
  }

  /** The window the budgets apply to, in ms. */
  get windowMs(): number {
    return this.#options.windowMs;
  }

  /**
   * Admits the call if one more request and its `estimatedTokens` fit in both budgets (and the
   * deployment is not cooling down); the admission counts at once, for every process.
   */
  async acquire(request: AcquireRequest): Promise<AcquireResult> {
    const { deployment, estimatedTokens, rpm, tpm, klass, reservedShare } = parseArguments(
      AcquireRequestSchema,
      request,
      "acquire request",
    );
    const share = reservedShare ?? this.#options.reservedShare;
    const keys = this.#keys.limiter(deployment);
    const reply = await this.#redis.llmrLimiterAcquire(
      keys.state,
      keys.log,
      keys.permits,
      keys.coolDown,
      klass === "interactive" ? "i" : "b",
      String(estimatedTokens),
      String(rpm ?? 0),
      String(tpm ?? 0),
      String(reserved(share, rpm)),
      String(reserved(share, tpm)),
      String(this.#options.windowMs),
      String(this.#options.interactiveIdleMs),
      String(MAX_PERMITS_READ_FOR_WAIT),
    );
    return parseAcquireReply(reply);
  }

  /**
   * Replaces the permit's token estimate with the real usage. Resolves `false` when the permit has
   * already left the window (nothing left to correct).
   */
  async settle(request: SettleRequest): Promise<boolean> {
    const { deployment, permitId, actualTokens } = parseArguments(
      SettleRequestSchema,
      request,
      "settle request",
    );
    const keys = this.#keys.limiter(deployment);
    return (
      (await this.#redis.llmrLimiterSettle(keys.state, keys.permits, permitId, String(actualTokens))) === 1
    );
  }

  /**
   * No admission for `deployment` for `ms` (a 429's retry-after), across all processes. Never
   * shortens a longer cool-down already running. Resolves the cool-down left, in ms.
   */
  async coolDown(request: { deployment: string; ms: number }): Promise<number> {
    const { deployment, ms } = parseArguments(CoolDownRequestSchema, request, "cool-down request");
    return this.#redis.llmrLimiterCoolDown(this.#keys.limiter(deployment).coolDown, String(ms));
  }

  /** Cool-down left for `deployment`, in ms (0 = none). */
  async coolingDown(deployment: string): Promise<number> {
    return Math.max(0, await this.#redis.pttl(this.#keys.limiter(deployment).coolDown));
  }

  /** What `deployment` has used of its budgets in the current window (admin view, metrics). */
  async usage(deployment: string): Promise<LimiterUsage> {
    const keys = this.#keys.limiter(deployment);
    const [requestsI, requestsB, tokensI, tokensB, coolingDownMs, active] =
      await this.#redis.llmrLimiterUsage(
        keys.state,
        keys.log,
        keys.permits,
        keys.coolDown,
        String(this.#options.windowMs),
        String(this.#options.interactiveIdleMs),
      );
    return {
      requests: { interactive: requestsI ?? 0, batch: requestsB ?? 0 },
      tokens: { interactive: tokensI ?? 0, batch: tokensB ?? 0 },
      coolingDownMs: coolingDownMs ?? 0,
      interactiveActive: active === 1,
    };
  }
}

/** The whole units of a budget held for interactive work (0 without a budget). */
function reserved(share: number, budget: number | undefined): number {
  return budget === undefined ? 0 : Math.floor(share * budget + FLOAT_SLACK);
}

function parseAcquireReply(reply: LuaReply): AcquireResult {
  const [admitted, detail, retryAfterMs] = reply;
  if (admitted === 1 && typeof detail === "string") return { admitted: true, permitId: detail };
  if (detail === "too_large") return { admitted: false, reason: "too_large", retryAfterMs: null };
  if (typeof detail === "string" && REFUSAL_REASONS.has(detail) && typeof retryAfterMs === "number") {
    return { admitted: false, reason: detail as RefusalReason, retryAfterMs };
  }
  // Only a script and this parser out of step (a bug) gets here.
  throw new Error(`unexpected reply from the acquire script: ${JSON.stringify(reply)}`);
}
