/**
 * The shapes of the HTTP contract the CLI reads (see CONTRACT.md), kept here rather than imported
 * from @llmr/core: the CLI is a client of the HTTP API and must not load the server's packages.
 */

export type JobStatus = "queued" | "running" | "succeeded" | "failed" | "cancelled";

export interface JobObject {
  id: string;
  object: "job";
  status: JobStatus;
  task?: string;
  tier?: string;
  result?: { output_text: string; output_json: unknown } | null;
  cost_usd: number;
  error: { type: string; message: string } | null;
  /** A long input summarized in parts (map-reduce); absent otherwise and from older servers. */
  progress?: { phase: "map" | "reduce"; round: number; chunks_done: number; chunks_total: number };
}

export interface BatchCounts {
  total: number;
  queued: number;
  running: number;
  succeeded: number;
  failed: number;
  cancelled: number;
}

export interface BatchObject {
  id: string;
  object: "batch";
  status: "queued" | "running" | "completed" | "cancelled";
  counts: BatchCounts;
  cost_usd: number;
  created_at: string;
  finished_at: string | null;
  not_before?: string | null;
  complete_by?: string | null;
  /** When the batch was asked to cancel (null: never); absent from older servers. */
  cancel_requested_at?: string | null;
  /** The server's daily window for batch work (null: none); absent from older servers. */
  window?: {
    start: string;
    end: string;
    time_zone: string;
    open: boolean;
    opens_at: string | null;
    closes_at: string;
  } | null;
  /** When the server expects the batch to be done at its measured rate; absent from older servers. */
  estimate?: {
    remaining: number;
    items_per_minute: number | null;
    finish_at: string | null;
    on_track: boolean | null;
    basis: string;
  };
}

/** One line of `GET /v1/batches/{id}/results`. */
export interface BatchResultLine {
  custom_id: string;
  job_id: string;
  status: JobStatus;
  output_text: string | null;
  output_json: unknown;
  error: { type: string; message: string } | null;
  cost_usd: number;
}

/** The last line of the results, present only once every item is finished. */
export interface BatchResultsEnd {
  object: "batch.results_end";
  batch_id: string;
  status: BatchObject["status"];
  counts: BatchCounts;
  cost_usd: number;
}

export const TERMINAL_JOB_STATUSES: ReadonlySet<JobStatus> = new Set(["succeeded", "failed", "cancelled"]);

/** Items that have finished, whatever the outcome. */
export function finishedCount(counts: BatchCounts): number {
  return counts.succeeded + counts.failed + counts.cancelled;
}

export function isBatchFinished(batch: BatchObject): boolean {
  if (batch.status === "completed") return true;
  // A cancelled batch still has its running items to finish; it is done once they have.
  return (
    batch.status === "cancelled" &&
    (batch.finished_at !== null || finishedCount(batch.counts) === batch.counts.total)
  );
}
