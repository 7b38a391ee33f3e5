/**
 * Per-model request and token limits over a sliding window, the way the vendors enforce `rpm`/`tpm`.
 * A rejected request does not count against the window (the vendors don't count it either).
 */

export interface RateLimits {
  rpm?: number;
  tpm?: number;
}

/** What the limiter knows after a decision, for the `x-ratelimit-*` style headers. */
export interface RateLimitState {
  limitRequests?: number;
  remainingRequests?: number;
  /** Until a request slot frees up (0 when one is free). */
  resetRequestsMs?: number;
  limitTokens?: number;
  remainingTokens?: number;
  resetTokensMs?: number;
}

export type Admission =
  | { admitted: true; state: RateLimitState }
  | { admitted: false; exceeded: "requests" | "tokens"; retryAfterMs: number; state: RateLimitState };

interface WindowEntry {
  atMs: number;
  tokens: number;
}

export interface RateLimiterOptions {
  /** @defaultValue 60000 (one minute, matching per-minute limits) */
  windowMs?: number;
  /** Clock, injectable for tests. @defaultValue Date.now */
  now?: () => number;
}

export class SlidingWindowRateLimiter {
  readonly #windowMs: number;
  readonly #now: () => number;
  readonly #windows = new Map<string, WindowEntry[]>();

  constructor(options: RateLimiterOptions = {}) {
    this.#windowMs = options.windowMs ?? 60_000;
    this.#now = options.now ?? Date.now;
  }

  /** Admits (and records) a request of `tokens` tokens under `key`'s limits, or says when to retry. */
  admit(key: string, tokens: number, limits: RateLimits): Admission {
    if (limits.rpm === undefined && limits.tpm === undefined) return { admitted: true, state: {} };
    const nowMs = this.#now();
    const entries = this.#prune(key, nowMs);
    const usedTokens = entries.reduce((sum, entry) => sum + entry.tokens, 0);

    if (limits.rpm !== undefined && entries.length + 1 > limits.rpm) {
      // The request fits once enough of the oldest requests have left the window.
      const freeing = entries[entries.length - limits.rpm];
      const retryAfterMs = freeing ? freeing.atMs + this.#windowMs - nowMs : this.#windowMs;
      return {
        admitted: false,
        exceeded: "requests",
        retryAfterMs,
        state: this.#state(entries, limits, nowMs),
      };
    }
    if (limits.tpm !== undefined && usedTokens + tokens > limits.tpm) {
      const retryAfterMs = this.#tokensFreeAfterMs(
        entries,
        usedTokens + tokens - limits.tpm,
        nowMs,
        tokens > limits.tpm,
      );
      return {
        admitted: false,
        exceeded: "tokens",
        retryAfterMs,
        state: this.#state(entries, limits, nowMs),
      };
    }
    entries.push({ atMs: nowMs, tokens });
    this.#windows.set(key, entries);
    return { admitted: true, state: this.#state(entries, limits, nowMs) };
  }

  /** Forgets every window. */
  reset(): void {
    this.#windows.clear();
  }

  #prune(key: string, nowMs: number): WindowEntry[] {
    const entries = (this.#windows.get(key) ?? []).filter((entry) => entry.atMs > nowMs - this.#windowMs);
    this.#windows.set(key, entries);
    return entries;
  }

  /** Time until `excess` tokens have left the window (a request larger than the limit: a full window). */
  #tokensFreeAfterMs(entries: WindowEntry[], excess: number, nowMs: number, tooLarge: boolean): number {
    if (tooLarge) return this.#windowMs;
    let freed = 0;
    for (const entry of entries) {
      freed += entry.tokens;
      if (freed >= excess) return entry.atMs + this.#windowMs - nowMs;
    }
    return this.#windowMs;
  }

  #state(entries: WindowEntry[], limits: RateLimits, nowMs: number): RateLimitState {
    const oldest = entries[0];
    const untilOldestLeavesMs = oldest ? Math.max(0, oldest.atMs + this.#windowMs - nowMs) : 0;
    const usedTokens = entries.reduce((sum, entry) => sum + entry.tokens, 0);
    const state: RateLimitState = {};
    if (limits.rpm !== undefined) {
      state.limitRequests = limits.rpm;
      state.remainingRequests = Math.max(0, limits.rpm - entries.length);
      state.resetRequestsMs = state.remainingRequests > 0 ? 0 : untilOldestLeavesMs;
    }
    if (limits.tpm !== undefined) {
      state.limitTokens = limits.tpm;
      state.remainingTokens = Math.max(0, limits.tpm - usedTokens);
      state.resetTokensMs = untilOldestLeavesMs;
    }
    return state;
  }
}
