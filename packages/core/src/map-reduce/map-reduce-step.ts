import type { ResolvedTask, ResolvedTier, RouterConfig } from "@llmr/config";
import { countMessageTokens } from "@llmr/routing";
import type { Job } from "bullmq";
import type { JobEvents } from "../job-events.ts";
import type { JobError, JobRecord, MapReduceState } from "../job-record.ts";
import { TERMINAL_STATUSES } from "../job-record.ts";
import type { JobStore } from "../job-store.ts";
import type { TierQueues } from "../tier-queues.ts";
import { cancelParts } from "./cancel-parts.ts";
import { mergePart, progressOf } from "./merge-part.ts";
import { joinOutputs, partLimit, planParts, reduceMessages } from "./plan-parts.ts";
import { queueParts } from "./queue-parts.ts";
import type { TextPart } from "./split-text.ts";

export interface MapReduceDeps {
  config: RouterConfig;
  store: JobStore;
  queues: TierQueues;
  events?: JobEvents;
  now: () => Date;
  /** A test's crash point (see `Failpoint`): after a round's parts are queued, before the job's record says so. */
  failpoint?: (name: "after-parts-queued") => void;
  /** Told when a round's parts are queued (for the log and the trace). */
  onSplit?: (split: SplitFacts) => void;
}

/** One round's split: which round, into how many parts, of how many tokens, under which limit. */
export interface SplitFacts {
  round: number;
  parts: number;
  inputTokens: number;
  limitTokens: number;
}

/**
 * What a run of a map-reduce job does next: `call` as any job (its input fits one call), `reduce`
 * (one call over its parts' answers: `record` carries those messages), `waiting` (its BullMQ job
 * now waits for its parts' jobs), `later` (its BullMQ job was delayed: parts to requeue) or
 * `failed` (a part failed for good, or the input has too many parts).
 */
export type MapReduceOutcome =
  | { kind: "call" }
  | { kind: "reduce"; record: JobRecord }
  | { kind: "waiting" }
  | { kind: "later" }
  | { kind: "failed"; error: JobError };

/**
 * How long a job waits before it looks at its parts again when BullMQ cannot wake it (no flows on
 * a Redis Cluster; a part's last step wakes it early there, see `wakeParent`).
 */
const RECHECK_MS = 2_000;

/**
 * One run of a job whose task map-reduces: splits a long input into parts queued as children of
 * this BullMQ job (BullMQ flows: the job waits in `waiting-children`), folds finished parts into
 * the job, splits their joined answers again while they are still too long (up to `max_levels`
 * rounds), then hands over the messages of the last call. Every step is stored before the next,
 * so a run after a crash takes up where the last one stopped.
 */
export async function mapReduceStep(
  deps: MapReduceDeps,
  job: Job,
  token: string | undefined,
  record: JobRecord,
  task: ResolvedTask,
  tier: ResolvedTier,
): Promise<MapReduceOutcome> {
  const settings = task.mapReduce;
  if (!settings || record.part_of) return { kind: "call" };
  const limit = partLimit(task, tier, record.request.max_output_tokens) ?? Number.POSITIVE_INFINITY;
  let current = record;
  for (;;) {
    const state = current.map_reduce;
    if (!state) {
      const plan = planParts(current.request.messages, limit, settings.overlapTokens);
      if (!plan) return { kind: "call" };
      if (plan.parts.length > settings.maxParts) return tooManyParts(plan.parts.length, settings.maxParts);
      const split = {
        round: 1,
        parts: plan.parts.length,
        inputTokens: current.route.input_tokens,
        limitTokens: limit,
      };
      current = await startRound(deps, job, current, split, plan.material, plan.parts);
      if (await waitForParts(deps, job, token)) return { kind: "waiting" };
      continue;
    }
    if (state.phase === "reduce") {
      return {
        kind: "reduce",
        record: withMessages(
          current,
          reduceMessages(current.request.messages, state.material, outputsOf(state)),
        ),
      };
    }

    const stored = await Promise.all(state.parts.map((part) => deps.store.get(part.id)));
    for (const part of stored) {
      if (part && TERMINAL_STATUSES.has(part.record.job.status))
        current = (await mergePart(deps, part.record)) ?? current;
    }
    const failedAt = stored.findIndex(
      (part) =>
        !part || (TERMINAL_STATUSES.has(part.record.job.status) && part.record.job.status !== "succeeded"),
    );
    if (failedAt >= 0) {
      await cancelParts(deps, current);
      return { kind: "failed", error: partFailure(current, failedAt, stored[failedAt]?.record) };
    }
    const unfinished = stored.filter((part) => part && part.record.job.status !== "succeeded");
    if (unfinished.length > 0) {
      if (await waitForParts(deps, job, token)) return { kind: "waiting" };
      // No BullMQ job of these parts is pending (a step cut short by a crash), or this Redis has no
      // flows (a cluster): queue them again (a no-op for those queued), then look again later.
      for (const part of unfinished) {
        if (!part) continue;
        const { tier: partTier, class: jobClass } = part.record.job;
        await deps.queues.addAll(
          partTier,
          jobClass,
          [{ job_id: part.record.job.id, hop: part.record.hop }],
          parentOf(job),
        );
      }
      if (await waitForParts(deps, job, token)) return { kind: "waiting" };
      if (token) await job.moveToDelayed(Date.now() + RECHECK_MS, token);
      return { kind: "later" };
    }

    // Every part answered: their answers together either fit the last call or are split again.
    const outputs = outputsOf(state);
    const joined = reduceMessages(current.request.messages, state.material, outputs);
    const again =
      state.round < settings.maxLevels && countMessageTokens(joined) > limit
        ? planParts(
            withMaterial(current.request.messages, state.material, joinOutputs(outputs)),
            limit,
            settings.overlapTokens,
            state.material,
          )
        : undefined;
    if (again) {
      const split = {
        round: state.round + 1,
        parts: again.parts.length,
        inputTokens: countMessageTokens(joined),
        limitTokens: limit,
      };
      current = await startRound(
        deps,
        job,
        current,
        split,
        state.material,
        again.parts,
        joinOutputs(outputs),
      );
      if (await waitForParts(deps, job, token)) return { kind: "waiting" };
      continue;
    }
    current =
      (await deps.store.update(current.job.id, (latest) => {
        if (latest.map_reduce?.phase !== "map" || latest.map_reduce.round !== state.round) return undefined;
        const next: MapReduceState = { ...latest.map_reduce, phase: "reduce" };
        return { ...latest, map_reduce: next, job: { ...latest.job, progress: progressOf(next) } };
      })) ?? current;
  }
}

/**
 * Stores the parts of a round and queues them under this job; the job's state says so after (with
 * the round's facts, for its explanation), and `onSplit` is told.
 */
async function startRound(
  deps: MapReduceDeps,
  job: Job,
  record: JobRecord,
  split: SplitFacts,
  material: number,
  parts: readonly TextPart[],
  roundText?: string,
): Promise<JobRecord> {
  const source =
    roundText === undefined
      ? record
      : withMessages(record, withMaterial(record.request.messages, material, roundText));
  const round = split.round;
  const queued = await queueParts(deps, source, round, material, parts, parentOf(job));
  deps.failpoint?.("after-parts-queued");
  const at = deps.now().toISOString();
  const updated = await deps.store.update(record.job.id, (latest) => {
    if (TERMINAL_STATUSES.has(latest.job.status)) return undefined;
    const facts = {
      round,
      parts: split.parts,
      input_tokens: split.inputTokens,
      limit_tokens: split.limitTokens,
      at,
    };
    const state: MapReduceState = {
      phase: "map",
      round,
      material,
      parts: queued,
      outputs: queued.map(() => null),
      merged: latest.map_reduce?.merged ?? [],
      rounds: [...(latest.map_reduce?.rounds ?? []).filter((earlier) => earlier.round < round), facts],
    };
    return {
      ...latest,
      map_reduce: state,
      job: {
        ...latest.job,
        status: "running",
        started_at: latest.job.started_at ?? at,
        progress: progressOf(state),
      },
    };
  });
  if (!updated) throw new Error(`job ${record.job.id} vanished while its parts were queued`);
  deps.onSplit?.(split);
  if (updated.job.progress)
    void deps.events
      ?.publish(record.job.id, "status", {
        status: updated.job.status,
        tier: updated.job.tier,
        progress: updated.job.progress,
      })
      .catch(() => undefined);
  return updated;
}

/** Parks this BullMQ job until its children are done; false when none is pending (or no flows). */
async function waitForParts(deps: MapReduceDeps, job: Job, token: string | undefined): Promise<boolean> {
  return token && deps.queues.usesFlows ? job.moveToWaitingChildren(token) : false;
}

function parentOf(job: Job) {
  if (!job.id) throw new Error("a map-reduce job's BullMQ job has no id");
  return { id: job.id, queue: job.queueQualifiedName };
}

function outputsOf(state: MapReduceState): string[] {
  return state.outputs.map((output) => output ?? "");
}

function withMaterial(messages: JobRecord["request"]["messages"], material: number, content: string) {
  return messages.map((message, index) =>
    index === material ? { role: "user" as const, content } : message,
  );
}

/** The record as if `messages` were its input: what the last call sends, is judged on and needs. */
function withMessages(record: JobRecord, messages: JobRecord["request"]["messages"]): JobRecord {
  const inputTokens = countMessageTokens(messages);
  const { requirements } = record.route;
  return {
    ...record,
    request: { ...record.request, messages },
    route: {
      ...record.route,
      input_tokens: inputTokens,
      requirements: { ...requirements, contextTokens: inputTokens + record.request.max_output_tokens },
    },
  };
}

function tooManyParts(parts: number, most: number): MapReduceOutcome {
  return {
    kind: "failed",
    error: {
      type: "input_too_long",
      message: `the input would need ${parts} parts; the task's map_reduce.max_parts allows ${most}`,
    },
  };
}

/** The job's error when part `index` (0-based) of its current round did not succeed. */
function partFailure(job: JobRecord, index: number, part: JobRecord | undefined): JobError {
  const state = job.map_reduce;
  const span = state?.parts[index];
  const total = state?.parts.length ?? 0;
  const where =
    state && span
      ? state.round === 1
        ? `, characters ${span.start.toLocaleString("en-US")}–${span.end.toLocaleString("en-US")} of the input`
        : ` of round ${state.round} (the summaries of earlier parts)`
      : "";
  const why = part
    ? part.job.error
      ? `${part.job.error.type}: ${part.job.error.message}`
      : part.job.status
    : "its record is gone";
  return { type: "chunk_failed", message: `part ${index + 1} of ${total}${where} failed: ${why}` };
}
