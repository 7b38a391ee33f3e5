import type { Cluster, Redis } from "ioredis";
import { DispatchKeys } from "../dispatch-keys.ts";
import { parseArguments } from "../parse-arguments.ts";
import { defineBreakerCommands } from "./breaker-commands.ts";
import type {
  BeforeCallResult,
  BreakerState,
  BreakerStateName,
  CircuitBreakerOptions,
  RecordResult,
  ResolvedCircuitBreakerOptions,
} from "./breaker-options.ts";
import { CircuitBreakerOptionsSchema } from "./breaker-options.ts";

/** A breaker state outlives its cool-down by this much; a deployment nobody calls for a day forgets. */
const STATE_TTL_AFTER_COOL_DOWN_MS = 24 * 60 * 60 * 1000;

/**
 * Per-deployment circuit breakers shared by every worker process through Redis, one Lua script
 * per transition. closed → open after `failureThreshold` failures within `failureWindowMs`; open
 * → calls fail fast until the cool-down ends; then half-open: exactly one probe is let through
 * across all processes; its success closes the breaker, its failure opens it again with a longer
 * cool-down.
 *
 * Only failures that say something about the deployment's health should be recorded: the
 * retryable provider errors (5xx, 529, timeouts, connection resets). A 400/401/403/404/422 is the
 * request's fault and a 429 is a rate limit (it goes to `RateLimiter.coolDown`): record neither.
 *
 * @example
 * ```ts
 * const breaker = new CircuitBreaker(redis, { failureThreshold: 5, coolDownMs: 30_000 });
 * const gate = await breaker.beforeCall("fast/gpt-5.4-nano");
 * if (!gate.allowed) return skipDeployment(gate.retryInMs);
 * const outcome = await call();
 * const { changed } = outcome.ok
 *   ? await breaker.recordSuccess("fast/gpt-5.4-nano")
 *   : await breaker.recordFailure("fast/gpt-5.4-nano");
 * if (changed) emit({ type: "breaker", deployment: "fast/gpt-5.4-nano", changed });
 * ```
 */
export class CircuitBreaker {
  readonly #redis: Redis | Cluster;
  readonly #keys: DispatchKeys;
  readonly #options: ResolvedCircuitBreakerOptions;

  constructor(redis: Redis | Cluster, options: CircuitBreakerOptions = {}) {
    this.#options = parseArguments(CircuitBreakerOptionsSchema, options, "circuit breaker options");
    this.#keys = new DispatchKeys(this.#options.prefix);
    this.#redis = redis;
    defineBreakerCommands(redis);
  }

  /** Whether a call may go to `deployment` now; may make an open breaker half-open (one probe). */
  async beforeCall(deployment: string): Promise<BeforeCallResult> {
    const [allowed, detail, extra] = await this.#redis.llmrBreakerBeforeCall(
      this.#keys.breaker(deployment).state,
      String(this.#options.probeLeaseMs),
      String(this.#options.halfOpenRetryMs),
    );
    if (allowed === 1) {
      return { allowed: true, probe: detail === 1, changed: extra === "half_opened" ? "half_opened" : null };
    }
    return {
      allowed: false,
      retryInMs: Number(extra),
      state: detail === "half_open" ? "half_open" : "open",
    };
  }

  /** A call to `deployment` succeeded; closes a half-open breaker. */
  async recordSuccess(deployment: string): Promise<RecordResult> {
    const keys = this.#keys.breaker(deployment);
    const change = await this.#redis.llmrBreakerRecordSuccess(keys.state, keys.failures);
    return { changed: change === "closed" ? "closed" : null };
  }

  /** A call to `deployment` failed with a retryable provider error; may open the breaker. */
  async recordFailure(deployment: string): Promise<RecordResult> {
    const keys = this.#keys.breaker(deployment);
    const options = this.#options;
    const [change, coolDownMs] = await this.#redis.llmrBreakerRecordFailure(
      keys.state,
      keys.failures,
      String(options.failureThreshold),
      String(options.failureWindowMs),
      String(options.coolDownMs),
      String(options.coolDownGrowth),
      String(options.maxCoolDownMs),
      String(STATE_TTL_AFTER_COOL_DOWN_MS),
    );
    return change === "opened" ? { changed: "opened", coolDownMs } : { changed: null };
  }

  /**
   * Hands back a probe that was granted (`probe: true`) but not used, e.g. because the rate limiter
   * refused the call: the next caller may probe at once instead of waiting out `probeLeaseMs`.
   * Resolves whether a probe was released.
   */
  async releaseProbe(deployment: string): Promise<boolean> {
    return (await this.#redis.llmrBreakerReleaseProbe(this.#keys.breaker(deployment).state)) === 1;
  }

  /**
   * `deployment`'s breaker as an admin view shows it. An `open` breaker whose `next_probe_at` has
   * passed turns half-open on the next `beforeCall`.
   */
  async state(deployment: string): Promise<BreakerState> {
    const keys = this.#keys.breaker(deployment);
    const [state, failures, openedAt, nextProbeAt] = await this.#redis.llmrBreakerReadState(
      keys.state,
      keys.failures,
      String(this.#options.failureWindowMs),
    );
    return {
      state: toStateName(state),
      failures: Number(failures ?? 0),
      ...(openedAt ? { opened_at: new Date(Number(openedAt)).toISOString() } : {}),
      ...(nextProbeAt ? { next_probe_at: new Date(Number(nextProbeAt)).toISOString() } : {}),
    };
  }

  /** The breakers of several deployments, in the order given (each is its own Redis slot). */
  async states(deployments: readonly string[]): Promise<(BreakerState & { deployment: string })[]> {
    return Promise.all(
      deployments.map(async (deployment) => ({ deployment, ...(await this.state(deployment)) })),
    );
  }
}

function toStateName(value: string | undefined): BreakerStateName {
  return value === "open" || value === "half_open" ? value : "closed";
}
