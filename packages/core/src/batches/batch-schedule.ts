import type { DailyWindow } from "@llmr/daily-window";
import { addOpenTime, formatTimeOfDay, openMsBetween, windowState } from "@llmr/daily-window";
import type { BatchCounts, BatchEstimate, BatchStatus, BatchWindowView } from "./batch-object.ts";

/**
 * When a batch can run and when it will be done: the server's daily window as the batch object
 * shows it, and the estimate of its finish at the rate measured so far. Pure (the clock is an
 * argument), so the API computes it on every read from the stored counts and timestamps, without
 * a Redis round trip of its own.
 */

/** What a batch's estimate is computed from. */
export interface BatchScheduleInput {
  status: BatchStatus;
  counts: BatchCounts;
  /** When its first item started running (null: none yet). */
  startedAt: Date | null;
  finishedAt: Date | null;
  notBefore: Date | null;
  completeBy: Date | null;
  /** The config's `batches.window`; undefined: batch work may run at any time. */
  window: DailyWindow | undefined;
  now: Date;
}

/**
 * A rate is trusted after this many finished items… (the first few finish together, after one
 * call's latency, so fewer would mostly measure that latency)
 */
export const MIN_ITEMS_FOR_RATE = 3;
/** …or after one item and this much run time, so slow items (long documents) still get a rate early. */
export const MIN_RUN_MS_FOR_RATE = 60_000;
const MS_PER_MINUTE = 60_000;

/** The window as the batch object shows it; null when the config sets none. */
export function batchWindowView(window: DailyWindow | undefined, now: Date): BatchWindowView | null {
  if (!window) return null;
  const state = windowState(window, now);
  return {
    start: formatTimeOfDay(window.startMinutes),
    end: formatTimeOfDay(window.endMinutes),
    time_zone: window.timeZone,
    open: state.open,
    opens_at: state.opensAt?.toISOString() ?? null,
    closes_at: state.closesAt.toISOString(),
  };
}

/**
 * The batch's estimate: items left, the rate of finished items per minute of time batch work was
 * allowed to run since the first item started (window time only), when the rest will be done at
 * that rate (again counting only window time, from now or `not_before`), and whether that is by
 * `complete_by`. `on_track` is false as soon as either the rate says so or no window time is left
 * before `complete_by`; null while there is nothing to judge by.
 */
export function estimateBatch(input: BatchScheduleInput): BatchEstimate {
  const { counts, window, now } = input;
  const open = (from: Date, to: Date) =>
    window ? openMsBetween(window, from, to) : Math.max(0, to.getTime() - from.getTime());
  const afterOpen = (from: Date, ms: number) =>
    window ? addOpenTime(window, from, ms) : new Date(from.getTime() + ms);
  const finished = counts.succeeded + counts.failed;
  const remaining = Math.max(0, counts.total - finished - counts.cancelled);

  const measuredUntil = input.finishedAt ?? now;
  const runMs = input.startedAt ? open(input.startedAt, measuredUntil) : 0;
  const measurable =
    runMs > 0 && (finished >= MIN_ITEMS_FOR_RATE || (finished >= 1 && runMs >= MIN_RUN_MS_FOR_RATE));
  const perMs = measurable ? finished / runMs : null;
  const itemsPerMinute = perMs === null ? null : Math.round(perMs * MS_PER_MINUTE * 100) / 100;

  if (input.finishedAt) {
    return {
      remaining: 0,
      items_per_minute: itemsPerMinute,
      finish_at: input.finishedAt.toISOString(),
      on_track:
        input.status === "cancelled" || !input.completeBy
          ? null
          : input.finishedAt.getTime() <= input.completeBy.getTime(),
      basis: input.status === "cancelled" ? "cancelled" : "finished",
    };
  }
  if (input.status === "cancelled") {
    return {
      remaining,
      items_per_minute: itemsPerMinute,
      finish_at: null,
      on_track: null,
      basis: "cancelled",
    };
  }

  const from = input.notBefore && input.notBefore > now ? input.notBefore : now;
  const finishAt = perMs === null ? null : afterOpen(from, remaining / perMs);
  const timeLeftMs = input.completeBy ? open(from, input.completeBy) : null;
  const noTimeLeft = remaining > 0 && timeLeftMs === 0;
  let onTrack: boolean | null = null;
  if (input.completeBy && noTimeLeft) onTrack = false;
  else if (input.completeBy && perMs !== null)
    onTrack = finishAt !== null && finishAt.getTime() <= input.completeBy.getTime();
  return {
    remaining,
    items_per_minute: itemsPerMinute,
    finish_at: finishAt?.toISOString() ?? null,
    on_track: onTrack,
    basis: noTimeLeft
      ? "no_time_left"
      : perMs !== null
        ? "measured"
        : input.startedAt
          ? "warming_up"
          : "not_started",
  };
}
