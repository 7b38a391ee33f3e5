import { z } from "zod";

/** Options of {@link RateLimiter}, shared by every deployment it limits. */
export interface RateLimiterOptions {
  /**
   * Prefix of every key (the router's `redis.key_prefix`); the keys of one deployment are
   * `<prefix>:{limiter:<deployment>}:…`.
   * @defaultValue "llmr"
   */
  prefix?: string;
  /**
   * Length of the sliding window the budgets apply to. Providers count per minute; tests shorten it.
   * @defaultValue 60000
   */
  windowMs?: number;
  /**
   * Interactive work "needs" its reserve for this long after it last asked for a permit (admitted
   * or not); after that, batch work may borrow the reserve until interactive work asks again.
   * @defaultValue 10000
   */
  interactiveIdleMs?: number;
  /**
   * Share of each budget reserved for interactive work, when a call does not say (`reservedShare`).
   * @defaultValue 0.2
   */
  reservedShare?: number;
}

export const RateLimiterOptionsSchema = z.object({
  prefix: z.string().min(1).default("llmr"),
  windowMs: z.number().int().positive().default(60_000),
  interactiveIdleMs: z.number().int().nonnegative().default(10_000),
  reservedShare: z.number().min(0).max(1).default(0.2),
});

export type ResolvedRateLimiterOptions = z.output<typeof RateLimiterOptionsSchema>;

/** The class of work asking: interactive work has a reserved share of every budget. */
export type WorkClass = "interactive" | "batch";

/** One call asking to go out to a deployment. */
export interface AcquireRequest {
  /** The deployment's id, e.g. `fast/gpt-5.4-nano`. */
  deployment: string;
  /** Tokens the call may use: prompt tokens (counted with a tokenizer) + `max_output_tokens`. */
  estimatedTokens: number;
  /** Requests per window (a minute by default) the deployment allows; absent = no request limit. */
  rpm?: number | undefined;
  /** Tokens (input + output) per window the deployment allows; absent = no token limit. */
  tpm?: number | undefined;
  /** Who is asking: batch work never eats the interactive reserve while interactive work needs it. */
  klass: WorkClass;
  /**
   * Share of each budget reserved for interactive work.
   * @defaultValue the limiter's `reservedShare`
   */
  reservedShare?: number | undefined;
}

export const AcquireRequestSchema = z.object({
  deployment: z.string().min(1),
  estimatedTokens: z.number().int().nonnegative(),
  rpm: z.number().int().positive().optional(),
  tpm: z.number().int().positive().optional(),
  klass: z.enum(["interactive", "batch"]),
  reservedShare: z.number().min(0).max(1).optional(),
});

/** Why a call was not admitted now. */
export type RefusalReason = "cooling_down" | "rpm" | "tpm" | "interactive_reserve";

/**
 * The limiter's answer. When refused, `retryAfterMs` is how long until the call would fit if
 * nothing else were admitted meanwhile (a lower bound under contention: ask again then).
 * `too_large`: the call needs more tokens than the whole TPM budget and can never go out on this
 * deployment; try another one or fail the job.
 */
export type AcquireResult =
  | { admitted: true; permitId: string }
  | { admitted: false; reason: RefusalReason; retryAfterMs: number }
  | { admitted: false; reason: "too_large"; retryAfterMs: null };

/** The tokens a call really used, to correct its permit. */
export interface SettleRequest {
  deployment: string;
  /** From the admitted {@link AcquireResult}. */
  permitId: string;
  /** Input + output tokens the provider reported (0 when the call failed before any). */
  actualTokens: number;
}

export const SettleRequestSchema = z.object({
  deployment: z.string().min(1),
  permitId: z.string().regex(/^\d+-\d+-[ib]$/, "not a permit id from acquire()"),
  actualTokens: z.number().int().nonnegative(),
});

export const CoolDownRequestSchema = z.object({
  deployment: z.string().min(1),
  ms: z.number().int().positive(),
});

/** What a deployment has used of its budgets in the current window. */
export interface LimiterUsage {
  requests: { interactive: number; batch: number };
  tokens: { interactive: number; batch: number };
  /** Cool-down left (0 = none). */
  coolingDownMs: number;
  /** Whether interactive work currently holds its reserve (asked within `interactiveIdleMs`). */
  interactiveActive: boolean;
}
