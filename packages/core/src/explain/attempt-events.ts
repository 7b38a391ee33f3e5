import type { JobEvent } from "../job-events.ts";
import { streamIdTime } from "./explain-words.ts";

/** What only the job's event stream knows about one attempt (the record keeps the rest). */
export interface AttemptEvents {
  /** Deployments passed over (breaker, budget) before this call went out, when the run's event said so. */
  skipped: Array<{ at: string; deployment: string; reason: string }>;
  /** The soft time limit passing during the call. */
  slow: Array<{ at: string; deployment: string; elapsedMs: number; softLimitMs: number }>;
  /** The retry scheduled after this attempt failed, and its backoff. */
  retry: { at: string; retryInMs: number } | undefined;
}

const record = (value: unknown): Record<string, unknown> =>
  typeof value === "object" && value !== null ? (value as Record<string, unknown>) : {};
const text = (value: unknown): string => (typeof value === "string" ? value : "");
const num = (value: unknown): number => (typeof value === "number" ? value : 0);

/**
 * Pairs the job's events with its attempts, by attempt number. One run of the processor publishes
 * `status: running` (with the deployments it skipped), maybe `slow`, then the `attempt` (with its
 * `n`), then `status: queued` with `retry_in_ms` when it will try again on the tier. Events are
 * best effort and expire with the job, so any of this may be missing: the record stays the source
 * of truth, this only adds to it. A run whose worker died publishes no attempt: its events are
 * dropped with the next run's `running`.
 */
export function eventsByAttempt(events: readonly JobEvent[]): Map<number, AttemptEvents> {
  const byAttempt = new Map<number, AttemptEvents>();
  let run: AttemptEvents | undefined;
  let lastAttempt: AttemptEvents | undefined;
  for (const event of events) {
    const data = record(event.data);
    const at = streamIdTime(event.id);
    if (event.type === "status" && data.status === "running") {
      const skips = Array.isArray(data.skipped) ? data.skipped.map(record) : [];
      run = {
        skipped: skips.map((skip) => ({ at, deployment: text(skip.deployment), reason: text(skip.reason) })),
        slow: [],
        retry: undefined,
      };
      lastAttempt = undefined;
    } else if (event.type === "slow") {
      run?.slow.push({
        at,
        deployment: text(data.deployment),
        elapsedMs: num(data.elapsed_ms),
        softLimitMs: num(data.soft_limit_ms),
      });
    } else if (event.type === "attempt" && typeof data.n === "number") {
      lastAttempt = run ?? { skipped: [], slow: [], retry: undefined };
      byAttempt.set(data.n, lastAttempt);
      run = undefined;
    } else if (event.type === "status" && typeof data.retry_in_ms === "number" && lastAttempt) {
      lastAttempt.retry = { at, retryInMs: data.retry_in_ms };
    }
  }
  return byAttempt;
}
