import { sumCostUsd } from "../cost.ts";
import type { JobEvents } from "../job-events.ts";
import type { JobProgress, JobRecord, MapReduceState } from "../job-record.ts";
import { TERMINAL_STATUSES } from "../job-record.ts";
import type { JobStore } from "../job-store.ts";
import type { TierQueues } from "../tier-queues.ts";

/**
 * Folds a finished part into the job it is part of: the part's attempts join the job's history
 * (numbered on, labelled with the part), so the job's cost includes them; a succeeded part's
 * answer is kept for the next step, and the job's progress counts it. Idempotent (a part is merged
 * once, however often this runs); the job's status is left alone. Resolves with the job's record.
 */
export async function mergePart(
  deps: { store: JobStore; events?: JobEvents },
  part: JobRecord,
): Promise<JobRecord | undefined> {
  const of = part.part_of;
  if (!of || !TERMINAL_STATUSES.has(part.job.status)) return undefined;
  let merged = false;
  const updated = await deps.store.update(of.job_id, (job) => {
    merged = false;
    const state = job.map_reduce;
    if (!state || state.merged.includes(part.job.id)) return undefined;
    merged = true;
    const label = { round: of.round, index: of.index, total: of.total };
    const base = job.job.attempts.length;
    const attempts = [
      ...job.job.attempts,
      ...part.job.attempts.map((attempt, i) => ({ ...attempt, n: base + i + 1, chunk: label })),
    ];
    const outputs =
      state.round === of.round && part.job.status === "succeeded" && part.job.result
        ? state.outputs.map((output, i) =>
            i === of.index - 1 ? (part.job.result?.output_text ?? null) : output,
          )
        : state.outputs;
    const next: MapReduceState = { ...state, outputs, merged: [...state.merged, part.job.id] };
    return {
      ...job,
      map_reduce: next,
      job: {
        ...job.job,
        attempts,
        cost_usd: sumCostUsd(attempts.map((attempt) => attempt.cost_usd)),
        progress: progressOf(next),
      },
    };
  });
  if (merged && updated && deps.events) {
    const events = deps.events;
    for (const attempt of updated.job.attempts.filter(
      (a) => a.chunk && a.chunk.index === of.index && a.chunk.round === of.round,
    )) {
      void events.publish(of.job_id, "attempt", attempt).catch(() => undefined);
    }
    if (updated.job.progress)
      void events
        .publish(of.job_id, "status", {
          status: updated.job.status,
          tier: updated.job.tier,
          progress: updated.job.progress,
        })
        .catch(() => undefined);
  }
  return updated;
}

/** The public progress of a map-reduce state. */
export function progressOf(state: MapReduceState): JobProgress {
  return {
    phase: state.phase,
    round: state.round,
    chunks_done: state.outputs.filter((output) => output !== null).length,
    chunks_total: state.parts.length,
  };
}

/**
 * Everything a finished part owes its job: its attempts and answer merged (`mergePart`) and, on a
 * Redis Cluster, the job woken (`wakeParent`). A no-op for a record that is not a finished part.
 */
export async function settlePart(
  deps: { store: JobStore; events?: JobEvents; queues: TierQueues },
  part: JobRecord,
): Promise<void> {
  await wakeParent(deps.queues, await mergePart(deps, part), part);
}

/**
 * Without flows (a Redis Cluster) a map-reduce job polls its parts from BullMQ's delayed set: the
 * part that completes its round, or fails, brings the job's next look forward to now.
 */
export async function wakeParent(
  queues: TierQueues,
  parent: JobRecord | undefined,
  part: JobRecord,
): Promise<void> {
  const state = parent?.map_reduce;
  if (queues.usesFlows || !parent || state?.phase !== "map") return;
  if (part.job.status === "succeeded" && state.outputs.some((output) => output === null)) return;
  const waiting = await queues
    .get(parent.job.tier, parent.job.class)
    .getJob(`${parent.job.id}.${parent.hop}`);
  await waiting?.promote().catch(() => undefined);
}
