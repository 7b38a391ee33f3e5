/**
 * The Redis keys of one deployment's rate limiter. They share the hash tag
 * `{limiter:<deployment>}`, so the one script that decides an admission touches a single slot and
 * the layout works unchanged on Redis Cluster.
 */
export interface LimiterKeys {
  /** Hash: `seq`, running totals `req_i`, `req_b`, `tok_i`, `tok_b`, and `i_seen` (ms). */
  state: string;
  /** List of the permit ids admitted in the window, oldest first. */
  log: string;
  /** Hash: permit id → tokens it counts for (the estimate, then the actual usage once settled). */
  permits: string;
  /** String whose TTL is the remaining cool-down (a 429's retry-after). */
  coolDown: string;
}

/** The Redis keys of one deployment's circuit breaker, under the hash tag `{breaker:<deployment>}`. */
export interface BreakerKeys {
  /** Hash: `state`, `opened_at`, `next_probe_at`, `probe_at` (ms), `opens` (consecutive openings). */
  state: string;
  /** List of the latest failure times (ms), newest first, capped at the failure threshold. */
  failures: string;
}

/**
 * Where the dispatch state lives in Redis. `prefix` is the router's key prefix (`redis.key_prefix`
 * in the config); it must not contain `{`, or Redis Cluster would hash on the prefix instead.
 *
 * @example
 * ```ts
 * new DispatchKeys("llmr").limiter("fast/gpt-5.4-nano").log; // "llmr:{limiter:fast/gpt-5.4-nano}:log"
 * ```
 */
export class DispatchKeys {
  readonly prefix: string;

  constructor(prefix: string) {
    if (prefix.includes("{") || prefix.includes("}")) {
      throw new RangeError(`key prefix "${prefix}" must not contain braces (they would be its hash tag)`);
    }
    this.prefix = prefix;
  }

  limiter(deployment: string): LimiterKeys {
    const base = `${this.prefix}:{limiter:${deployment}}`;
    return {
      state: `${base}:state`,
      log: `${base}:log`,
      permits: `${base}:permits`,
      coolDown: `${base}:cooldown`,
    };
  }

  breaker(deployment: string): BreakerKeys {
    const base = `${this.prefix}:{breaker:${deployment}}`;
    return { state: `${base}:state`, failures: `${base}:failures` };
  }
}
