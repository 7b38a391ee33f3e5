import type { JobEvent } from "../job-events.ts";
import type { Attempt, ChunkLabel, JobRecord } from "../job-record.ts";
import { partId } from "../map-reduce/queue-parts.ts";

/** A part's own record and event stream, as the store keeps them (both expire with the job). */
export interface StoredPart {
  record: JobRecord;
  /** The part's event stream, oldest first: its skipped deployments, soft limits and retries. @defaultValue [] */
  events?: readonly JobEvent[];
}

/** One part of one round, as far as the job's record and the part's own record tell. */
export interface PartFacts {
  label: ChunkLabel;
  /** The part's record id (`<job id>-r<round>p<index>`). */
  id: string;
  /** Its attempts in the job's history, in order (none until the part finished: `mergePart`). */
  attempts: Attempt[];
  /** The span of the round's text it covers: the job's record keeps it for its last round only. */
  span: { start: number; end: number; tokens: number } | null;
  stored: StoredPart | undefined;
}

export interface RoundFacts {
  round: number;
  total: number;
  parts: PartFacts[];
}

const PART_ID = /-r(\d+)p(\d+)$/;

/** True when the job's input was split into parts: its record says so, or its attempts do. */
export function isMapReduce(record: JobRecord): boolean {
  return record.map_reduce !== undefined || record.job.attempts.some((attempt) => attempt.chunk);
}

/**
 * Every round of the job and its number of parts, from what the job's record keeps: the parts'
 * attempts (labelled with round and total), the current round's parts, and the ids of the parts
 * already merged (for a part of an earlier round that made no call).
 */
function roundTotals(record: JobRecord): Map<number, number> {
  const totals = new Map<number, number>();
  const atLeast = (round: number, total: number) =>
    totals.set(round, Math.max(totals.get(round) ?? 0, total));
  for (const attempt of record.job.attempts) {
    if (attempt.chunk) atLeast(attempt.chunk.round, attempt.chunk.total);
  }
  const state = record.map_reduce;
  if (state) {
    atLeast(state.round, state.parts.length);
    for (const id of state.merged) {
      const match = PART_ID.exec(id);
      if (match) atLeast(Number(match[1]), Number(match[2]));
    }
  }
  return totals;
}

/** The record ids of every part of the job, every round: what to load to tell each part's story. */
export function partIdsOf(record: JobRecord): string[] {
  const ids: string[] = [];
  for (const [round, total] of [...roundTotals(record)].sort(([a], [b]) => a - b)) {
    for (let index = 1; index <= total; index++) ids.push(partId(record.job.id, round, index));
  }
  return ids;
}

/** The job's rounds, oldest first, each with its parts in order and what is known of each. */
export function roundsOf(
  record: JobRecord,
  stored: ReadonlyMap<string, StoredPart> = new Map(),
): RoundFacts[] {
  const state = record.map_reduce;
  return [...roundTotals(record)]
    .sort(([a], [b]) => a - b)
    .map(([round, total]) => ({
      round,
      total,
      parts: Array.from({ length: total }, (_, i): PartFacts => {
        const index = i + 1;
        const id = partId(record.job.id, round, index);
        const span = state?.round === round ? state.parts[i] : undefined;
        return {
          label: { round, index, total },
          id,
          attempts: record.job.attempts.filter(
            (attempt) => attempt.chunk?.round === round && attempt.chunk.index === index,
          ),
          span: span ? { start: span.start, end: span.end, tokens: span.tokens } : null,
          stored: stored.get(id),
        };
      }),
    }));
}
