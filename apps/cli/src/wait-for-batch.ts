import { setTimeout as sleep } from "node:timers/promises";
import type { ApiClient } from "./api-client.ts";
import type { BatchObject } from "./api-types.ts";
import { isBatchFinished } from "./api-types.ts";
import { InterruptedError, isTransient } from "./exit-codes.ts";
import type { ProgressReporter } from "./progress-reporter.ts";
import { scheduleNote } from "./schedule-note.ts";

export interface WaitOptions {
  /** Between two looks at the batch. @defaultValue 1000 */
  pollIntervalMs?: number;
  /** How long the API may stay unreachable (down, 5xx) before giving up. @defaultValue 60000 */
  outageBudgetMs?: number;
  /** Aborted on Ctrl-C. */
  signal?: AbortSignal;
  /** The user's zone, for the times in an off-track or waiting note. @defaultValue the system's */
  timeZone?: string;
}

/**
 * Polls the batch until every item is finished, feeding each look to `reporter`. A short outage
 * of the API (a restart) is ridden out; a longer one ends the wait with the last error. Ctrl-C
 * ends the wait only: the batch keeps running on the server.
 */
export async function waitForBatch(
  client: ApiClient,
  id: string,
  reporter: ProgressReporter,
  options: WaitOptions = {},
): Promise<BatchObject> {
  const pollIntervalMs = options.pollIntervalMs ?? 1000;
  const outageBudgetMs = options.outageBudgetMs ?? 60_000;
  const timeZone = options.timeZone ?? Intl.DateTimeFormat().resolvedOptions().timeZone;
  let outageSince: number | undefined;
  for (;;) {
    let batch: BatchObject;
    try {
      batch = await client.getBatch(id);
      outageSince = undefined;
    } catch (error) {
      if (!isTransient(error)) throw error;
      if (outageSince === undefined) {
        outageSince = Date.now();
        const message = error instanceof Error ? error.message : String(error);
        reporter.note(`${message}; retrying for up to ${Math.round(outageBudgetMs / 1000)} s`);
      }
      if (Date.now() - outageSince > outageBudgetMs) throw error;
      await pause(pollIntervalMs, options.signal);
      continue;
    }
    const finished = isBatchFinished(batch);
    const note = scheduleNote(batch, timeZone, new Date());
    reporter.update(
      { atMs: Date.now(), counts: batch.counts, costUsd: batch.cost_usd, ...(note ? { note } : {}) },
      finished,
    );
    if (finished) {
      reporter.finish();
      return batch;
    }
    await pause(pollIntervalMs, options.signal);
  }
}

async function pause(ms: number, signal: AbortSignal | undefined): Promise<void> {
  try {
    await sleep(ms, undefined, { signal });
  } catch (error) {
    throw new InterruptedError("interrupted", { cause: error });
  }
}
