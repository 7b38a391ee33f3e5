import { z } from "zod";

/** Options of {@link CircuitBreaker}, shared by every deployment it guards. */
export interface CircuitBreakerOptions {
  /**
   * Prefix of every key (the router's `redis.key_prefix`); one deployment's keys are
   * `<prefix>:{breaker:<deployment>}:…`.
   * @defaultValue "llmr"
   */
  prefix?: string;
  /**
   * The breaker opens after this many failures within `failureWindowMs`.
   * @defaultValue 5
   */
  failureThreshold?: number;
  /**
   * Failures older than this no longer count.
   * @defaultValue 60000
   */
  failureWindowMs?: number;
  /**
   * How long the breaker stays open the first time before one probe may go through.
   * @defaultValue 30000
   */
  coolDownMs?: number;
  /**
   * Each consecutive opening (a failed probe) multiplies the cool-down by this (1 = constant), up
   * to `maxCoolDownMs`. A close resets it.
   * @defaultValue 2
   */
  coolDownGrowth?: number;
  /**
   * Longest cool-down, however many probes failed.
   * @defaultValue 300000
   */
  maxCoolDownMs?: number;
  /**
   * A probe not reported (`recordSuccess` / `recordFailure`) within this long is presumed lost
   * (its worker died) and the next caller becomes the probe. Set it above the longest hard time
   * limit of a call, or a slow probe may get company.
   * @defaultValue 120000
   */
  probeLeaseMs?: number;
  /**
   * While a probe is out, other callers are told to look again after this long (the probe usually
   * answers well before its lease runs out).
   * @defaultValue 1000
   */
  halfOpenRetryMs?: number;
}

export const CircuitBreakerOptionsSchema = z
  .object({
    prefix: z.string().min(1).default("llmr"),
    failureThreshold: z.number().int().positive().default(5),
    failureWindowMs: z.number().int().positive().default(60_000),
    coolDownMs: z.number().int().positive().default(30_000),
    coolDownGrowth: z.number().min(1).default(2),
    maxCoolDownMs: z.number().int().positive().default(300_000),
    probeLeaseMs: z.number().int().positive().default(120_000),
    halfOpenRetryMs: z.number().int().positive().default(1_000),
  })
  .refine((options) => options.maxCoolDownMs >= options.coolDownMs, {
    path: ["maxCoolDownMs"],
    message: "must be at least coolDownMs",
  });

export type ResolvedCircuitBreakerOptions = z.output<typeof CircuitBreakerOptionsSchema>;

export type BreakerStateName = "closed" | "open" | "half_open";

/**
 * Whether a call may go to the deployment now. `probe: true`: this call is the one probe of a
 * half-open breaker; report its outcome. `changed: "half_opened"` when this call made it half-open.
 * Refused: skip the deployment (don't wait on it); `retryInMs` says when to look again.
 */
export type BeforeCallResult =
  | { allowed: true; probe: boolean; changed: "half_opened" | null }
  | { allowed: false; retryInMs: number; state: "open" | "half_open" };

/** A state change caused by a `record*` call, for the app to log. */
export interface RecordResult {
  changed: "opened" | "closed" | null;
  /** The cool-down of this opening, when `changed` is "opened". */
  coolDownMs?: number;
}

/** A breaker's state for an admin view. Times are ISO 8601 (Redis clock). */
export interface BreakerState {
  state: BreakerStateName;
  /** Failures within the failure window. */
  failures: number;
  opened_at?: string;
  next_probe_at?: string;
}
