import type { TaskPolicy } from "../src/explain/explain-attempt.ts";
import type { ExplainStep, JobExplanation } from "../src/explain/explanation-schema.ts";
import type { StoredPart } from "../src/explain/map-reduce-parts.ts";
import type { JobEvent } from "../src/job-events.ts";
import type { Attempt, ChunkLabel, Escalation, JobRecord, PublicJob } from "../src/job-record.ts";
import { partId } from "../src/map-reduce/queue-parts.ts";
import { at, attempt, jobRecord, passed } from "./explain-fixtures.ts";

/**
 * Map-reduce job records for the explanation's tests, shaped after what `mapReduceStep` and
 * `mergePart` store: the parts' attempts appended to the job's history (numbered on, labelled
 * `chunk`), the parts' own records (`part_of`, their own escalations), the job's `map_reduce` state.
 */

export const JOB_ID = "job_01m8300000000000000000mr01";

/** The default config's summarize task, with a small `chunk_tokens` as the tests set it. */
export const SUMMARIZE: TaskPolicy = {
  escalation: { minConfidence: 0.5, onQualityFailure: "top", maxEscalations: 2 },
  mapReduce: { chunkTokens: 800, maxLevels: 3 },
};

const SUMMARY_CHECKS = ["empty", "truncated", "refusal", "summary_length", "language"];

/** A summary accepted (or judged too weak) on `deployment`, `output` tokens long. */
export function summaryAttempt(
  n: number,
  deployment: string,
  startMs: number,
  endMs: number,
  confidence: number,
  output = 120,
): Attempt {
  const low = confidence < 0.5;
  return attempt(n, deployment, startMs, endMs, {
    outcome: low ? "low_confidence" : "succeeded",
    detail: low
      ? `answered in ${endMs - startMs} ms; confidence ${confidence.toFixed(2)} (heuristic) < 0.5 → standard`
      : `answered in ${endMs - startMs} ms; confidence ${confidence.toFixed(2)} (heuristic)`,
    usage: { input_tokens: 700, output_tokens: output },
    cost_usd: 0.0000125,
    confidence,
    confidence_signal: "heuristic",
    checks: passed(SUMMARY_CHECKS),
  });
}

/** A part's own record: its attempts numbered from 1, its own escalations, status and error. */
export function partRecord(
  label: ChunkLabel,
  attempts: readonly Attempt[],
  job: Partial<PublicJob> = {},
  escalations: Escalation[] = [],
): JobRecord {
  const own = attempts.map((a, i) => ({ ...a, n: i + 1 }));
  const record = jobRecord({
    id: partId(JOB_ID, label.round, label.index),
    task: "summarize",
    class: "batch",
    tier: own.at(-1)?.tier ?? "fast",
    attempts: own,
    created_at: at(label.round === 1 ? 100 : 2_000),
    routing: {
      initial_tier: "fast",
      max_tier: "capable",
      reason: 'task "summarize" starts at its default tier "fast"',
      escalations,
    },
    ...job,
  });
  return { ...record, part_of: { job_id: JOB_ID, ...label } };
}

/** The part's attempts as `mergePart` appends them to the job's history: numbered from `first`. */
export function merged(label: ChunkLabel, first: number, attempts: readonly Attempt[]): Attempt[] {
  return attempts.map((a, i) => ({ ...a, n: first + i, chunk: label }));
}

/** The parts, by record id, as `loadJobParts` gives them. */
export function partsMap(
  ...parts: Array<{ record: JobRecord; events?: JobEvent[] }>
): Map<string, StoredPart> {
  return new Map(parts.map((part) => [part.record.job.id, part]));
}

/** The job record of a map-reduce job: a summarize batch job of 9,812 input tokens. */
export function mapReduceJob(job: Partial<PublicJob>, state: JobRecord["map_reduce"]): JobRecord {
  const record = jobRecord({
    id: JOB_ID,
    task: "summarize",
    class: "batch",
    routing: {
      initial_tier: "fast",
      max_tier: "capable",
      reason: 'task "summarize" starts at its default tier "fast"',
      escalations: [],
    },
    created_at: at(0),
    started_at: at(100),
    ...job,
  });
  return {
    ...record,
    route: { ...record.route, input_tokens: 2_400 },
    request: { ...record.request, messages: [{ role: "user", content: "(a 2,400-token report)" }] },
    map_reduce: state,
  };
}

/** Every step of one kind, in order. */
export const all = <K extends ExplainStep["kind"]>(explanation: JobExplanation, kind: K) =>
  explanation.steps.filter((s): s is Extract<ExplainStep, { kind: K }> => s.kind === kind);
