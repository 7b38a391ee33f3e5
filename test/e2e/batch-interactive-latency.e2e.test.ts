import { setTimeout as sleep } from "node:timers/promises";
import type { PublicJob } from "@llmr/core";
import { simMarker } from "@llmr/simulator";
import { describe, expect, it } from "vitest";
import { batchStack, pollUntil } from "./batch-stack.ts";

/**
 * The dispatch issue's isolation, across processes: interactive jobs submitted while a batch keeps
 * the same tier's batch slots busy wait to start (`started_at - created_at`, both stamped by the
 * router, as `pnpm bench`'s interactive-under-load scenario measures it) at most twice as long at
 * p99 as the same trickle does with no batch running, measured in the same test.
 */
const stack = batchStack({ apiKey: "llmr_e2e_batch_latency_0123456789abcdef012" });

/**
 * Idle and loaded trickles alternate, round by round, so that whatever else the machine runs (on
 * CI, another test file's processes) weighs on both alike. Each round is judged on its own: a
 * stall of the machine spoils the round it falls in, where a loss of isolation would spoil all.
 */
const ROUNDS = 5;
/** Rounds that must keep the bound. */
const ROUNDS_WITHIN_BOUND = 3;
/** Interactive jobs per trickle (the nearest-rank p99 of 30 is their longest wait). */
const JOBS_PER_ROUND = 30;
/** One interactive job every this many ms, open loop (as the bench's trickle). */
const INTERACTIVE_EVERY_MS = 30;
/** Every call takes this long at the simulator, so the worker's slots are really held. */
const CALL_LATENCY_MS = 20;
/**
 * Each loaded round's batch: the fast tier's 4 batch slots at 200 ms a call take at least 15 s
 * for 300 items, far longer than a round's trickle (under 1 s); it is cancelled when the round
 * ends. The slots are what is shared with interactive work, so they are kept busy; shorter calls
 * would only add CPU load (more jobs a second) to a 2-core machine, which the bound is not about.
 */
const BATCH_ITEMS = 300;
const BATCH_CALL_LATENCY_MS = 200;
/**
 * The bound's floor. On a quiet machine the idle p99 is 10-20 ms and the loaded one 1-2x that, so
 * "2x" alone would be decided by single milliseconds. On a busy 2-core machine (the API, worker,
 * simulator, Redis and other processes sharing it) a process waiting out the others' time slices
 * holds up every job in flight for tens of ms; a loaded p99 within this much of the idle one is
 * that noise. Batch work holding interactive work up (no isolation) would queue it behind
 * hundreds of 200 ms batch calls: seconds.
 */
const NOISE_FLOOR_MS = 50;

/** Nearest-rank percentile, as the bench computes it. */
function percentile(samplesMs: readonly number[], p: number): number {
  const sorted = [...samplesMs].sort((a, b) => a - b);
  return (
    sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? Number.NaN
  );
}

/** Submits `n` interactive jobs one every INTERACTIVE_EVERY_MS, then resolves with each one's wait to start. */
async function trickle(n: number, label: string): Promise<number[]> {
  const submitted: Array<Promise<PublicJob>> = [];
  for (let i = 0; i < n; i++) {
    submitted.push(
      stack.submitJob({
        class: "interactive",
        tier: "fast",
        input: `${simMarker({ latency_ms: CALL_LATENCY_MS })} ${label} question ${i}: name a colour.`,
      }),
    );
    await sleep(INTERACTIVE_EVERY_MS);
  }
  const started = await Promise.all(
    submitted.map(async (queued) => {
      let job = await queued;
      const deadline = Date.now() + 30_000;
      while (job.started_at === null && Date.now() < deadline) job = await stack.getJob(job.id, 5);
      if (job.started_at === null) throw new Error(`interactive job ${job.id} never started`);
      return job;
    }),
  );
  return started.map((job) => Date.parse(job.started_at ?? "") - Date.parse(job.created_at));
}

/** The dispatch bound on a round's p99, with the noise floor. */
const boundMs = (idleP99Ms: number) => Math.max(2 * idleP99Ms, idleP99Ms + NOISE_FLOOR_MS);

describe("interactive work while a batch runs", () => {
  it("waits to start within twice its idle p99 (with a noise floor), all processes separate", async () => {
    // Warm-up: JIT, connections and scripts in every process.
    await trickle(20, "warm-up");
    const rounds: Array<{ idleP99Ms: number; loadedP99Ms: number; batchItemsDone: number }> = [];
    const idle: number[] = [];
    const loaded: number[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      const idleRound = await trickle(JOBS_PER_ROUND, `idle ${round}`);

      const batch = await stack.submitBatch({
        items: Array.from({ length: BATCH_ITEMS }, (_, i) => ({
          custom_id: `load-${i}`,
          input: `${simMarker({ latency_ms: BATCH_CALL_LATENCY_MS })} Summarize note ${i} in one line.`,
        })),
      });
      await pollUntil(
        () => stack.getBatch(batch.id),
        (current) => current.counts.succeeded >= 8,
      );
      const loadedRound = await trickle(JOBS_PER_ROUND, `loaded ${round}`);
      // The batch was still running when the round's last interactive job started.
      const during = await stack.getBatch(batch.id);
      expect(during.counts.queued, "the batch ran out before the trickle ended").toBeGreaterThan(0);
      await stack.cancelBatch(batch.id);
      // The next idle trickle starts once the batch's last calls are over.
      await pollUntil(
        () => stack.getBatch(batch.id),
        (current) => current.finished_at !== null,
      );

      idle.push(...idleRound);
      loaded.push(...loadedRound);
      rounds.push({
        idleP99Ms: percentile(idleRound, 99),
        loadedP99Ms: percentile(loadedRound, 99),
        batchItemsDone: during.counts.succeeded + during.counts.failed,
      });
    }

    const overall = {
      idleP50Ms: percentile(idle, 50),
      idleP99Ms: percentile(idle, 99),
      loadedP50Ms: percentile(loaded, 50),
      loadedP99Ms: percentile(loaded, 99),
    };
    console.info(`interactive wait to start: ${JSON.stringify({ overall, rounds })}`);
    const within = rounds.filter((round) => round.loadedP99Ms <= boundMs(round.idleP99Ms));
    expect(within.length, JSON.stringify(rounds)).toBeGreaterThanOrEqual(ROUNDS_WITHIN_BOUND);
  });
});
