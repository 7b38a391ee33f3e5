import type { JobClass, ResolvedDeployment, RouterConfig } from "@llmr/config";
import type { RefusalReason } from "@llmr/dispatch";
import { CircuitBreaker, RateLimiter } from "@llmr/dispatch";
import type { RedisClient } from "./redis-connection.ts";

/** The shared gates in front of every deployment: its circuit breaker and its RPM/TPM budget. */
export interface DispatchGates {
  limiter: RateLimiter;
  breaker: CircuitBreaker;
}

/** A deployment passed over for a call, and why: its breaker, or the limiter's refusal. */
export interface DeploymentSkip {
  deployment: string;
  reason: "circuit_open" | "circuit_half_open" | RefusalReason | "too_large";
}

export type Selection =
  | {
      kind: "selected";
      deployment: ResolvedDeployment;
      permitId: string | undefined;
      /** Tokens the permit was taken for (input + requested output budget). */
      estimatedTokens: number;
      probe: boolean;
      skipped: string[];
      /** The same skips as `skipped`, as data (metrics). */
      skips: DeploymentSkip[];
      /** Deployments whose breaker this selection moved from open to half-open (to log). */
      halfOpened: string[];
    }
  | { kind: "wait"; waitMs: number; skipped: string[]; skips: DeploymentSkip[]; halfOpened: string[] };

/** Never wait less than this before asking again: the gates' answers are in milliseconds of Redis time. */
const MIN_WAIT_MS = 50;
/** A deployment that can never take the call (more tokens than its whole TPM) is not a reason to wait. */
const NEVER_MS = Number.POSITIVE_INFINITY;

/**
 * Picks the deployment for this try: the tier's deployments in order from `startIndex` (so each
 * retry moves on), skipping any whose breaker is open (fail fast, no call) or whose shared budget
 * cannot take `estimatedTokens` now. When none can, says how long until the first one may.
 * Without gates, simply the deployment at `startIndex`.
 */
export async function selectDeployment(
  gates: DispatchGates | undefined,
  deployments: readonly ResolvedDeployment[],
  startIndex: number,
  call: { estimatedTokens: number; klass: JobClass },
): Promise<Selection> {
  const ordered = deployments.map(
    (_, i) => deployments[(startIndex + i) % deployments.length] as ResolvedDeployment,
  );
  if (!gates)
    return {
      kind: "selected",
      deployment: ordered[0] as ResolvedDeployment,
      permitId: undefined,
      estimatedTokens: call.estimatedTokens,
      probe: false,
      skipped: [],
      skips: [],
      halfOpened: [],
    };

  let waitMs = NEVER_MS;
  const skipped: string[] = [];
  const skips: DeploymentSkip[] = [];
  const halfOpened: string[] = [];
  for (const deployment of ordered) {
    const gate = await gates.breaker.beforeCall(deployment.id);
    // The cool-down is over and this process holds the one probe: a state change worth telling,
    // even if the limiter then refuses the call (the breaker stays half-open either way).
    if (gate.allowed && gate.changed === "half_opened") halfOpened.push(deployment.id);
    if (!gate.allowed) {
      skipped.push(`${deployment.id}: circuit ${gate.state}`);
      skips.push({ deployment: deployment.id, reason: `circuit_${gate.state}` });
      waitMs = Math.min(waitMs, gate.retryInMs);
      continue;
    }
    const permit = await gates.limiter.acquire({
      deployment: deployment.id,
      estimatedTokens: call.estimatedTokens,
      ...(deployment.rpm === undefined ? {} : { rpm: deployment.rpm }),
      ...(deployment.tpm === undefined ? {} : { tpm: deployment.tpm }),
      klass: call.klass,
    });
    if (permit.admitted)
      return {
        kind: "selected",
        deployment,
        permitId: permit.permitId,
        estimatedTokens: call.estimatedTokens,
        probe: gate.probe,
        skipped,
        skips,
        halfOpened,
      };
    // The probe was not used: hand it back so another process may probe now, not after the lease.
    if (gate.probe) await gates.breaker.releaseProbe(deployment.id);
    skipped.push(`${deployment.id}: ${permit.reason.replace("_", " ")}`);
    skips.push({ deployment: deployment.id, reason: permit.reason });
    if (permit.retryAfterMs !== null) waitMs = Math.min(waitMs, permit.retryAfterMs);
  }
  return {
    kind: "wait",
    waitMs: Number.isFinite(waitMs) ? Math.max(MIN_WAIT_MS, waitMs) : NEVER_MS,
    skipped,
    skips,
    halfOpened,
  };
}

/**
 * The gates as the config sets them. The breaker's probe lease outlasts the longest hard time
 * limit of any tier, so a slow probe is never mistaken for a lost one.
 */
export function createDispatchGates(redis: RedisClient, config: RouterConfig): DispatchGates {
  const longestCallMs = Math.max(
    ...config.tiers.flatMap((tier) => [tier.timeLimits.interactive.hardMs, tier.timeLimits.batch.hardMs]),
  );
  return {
    limiter: new RateLimiter(redis, {
      prefix: config.redis.keyPrefix,
      reservedShare: config.dispatch.reservedInteractiveShare,
    }),
    breaker: new CircuitBreaker(redis, {
      prefix: config.redis.keyPrefix,
      failureThreshold: config.dispatch.breaker.failureThreshold,
      failureWindowMs: config.dispatch.breaker.failureWindowMs,
      coolDownMs: config.dispatch.breaker.coolDownMs,
      probeLeaseMs: longestCallMs + 10_000,
    }),
  };
}
