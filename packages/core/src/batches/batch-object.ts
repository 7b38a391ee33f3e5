import { z } from "zod";
import type { JobError, JobStatus } from "../job-record.ts";

/** The batch object of the HTTP contract (`GET /v1/batches/{id}`). Field names are the contract's. */

export type BatchStatus = "queued" | "running" | "completed" | "cancelled";

/** How many items are in each job status; `total` is fixed when the batch is accepted. */
export interface BatchCounts {
  total: number;
  queued: number;
  running: number;
  succeeded: number;
  failed: number;
  cancelled: number;
}

export interface PublicBatch {
  id: string;
  object: "batch";
  status: BatchStatus;
  counts: BatchCounts;
  /** All items' attempts together, as far as they have been recorded. */
  cost_usd: number;
  created_at: string;
  /** When the last item finished (for a cancelled batch too); null before. */
  finished_at: string | null;
  /** Extension: no item starts before this (null: at once). */
  not_before: string | null;
  /** Extension: every item's deadline is at the latest this (null: the config's batch deadline). */
  complete_by: string | null;
  /** Extension: when its first item started running (null: none yet). */
  started_at: string | null;
  /**
   * Extension: when the batch was asked to cancel (null: never). From then its status is
   * `cancelled`, while its counts keep settling until every item is final: `finished_at` set.
   */
  cancel_requested_at: string | null;
  /** Extension: the server's daily window for batch work (`batches.window`); null: none, any time. */
  window: BatchWindowView | null;
  /** Extension: when the batch will be done at the rate measured so far, and whether by `complete_by`. */
  estimate: BatchEstimate;
}

/** The config's daily batch window and its state now, so a user sees why a queued batch waits. */
export interface BatchWindowView {
  /** Local opening time, `HH:MM`. */
  start: string;
  /** Local closing time, `HH:MM` (not after `start`: the next day). */
  end: string;
  time_zone: string;
  /** Batch work may start now. */
  open: boolean;
  /** When it opens next; null while open. */
  opens_at: string | null;
  /** When the open (or next) window closes. */
  closes_at: string;
}

/**
 * Why the estimate says what it says: `measured` (a rate is known), `warming_up` (items started,
 * too few finished to trust a rate), `not_started`, `no_time_left` (no window time is left before
 * `complete_by`), `finished`, `cancelled`.
 */
export type EstimateBasis =
  | "measured"
  | "warming_up"
  | "not_started"
  | "no_time_left"
  | "finished"
  | "cancelled";

/** An estimate updated on every read, from the counts and the time batch work was allowed to run. */
export interface BatchEstimate {
  /** Items not finished yet (queued or running). */
  remaining: number;
  /** Finished items per minute of allowed run time (inside the window) since the first started; null until measurable. */
  items_per_minute: number | null;
  /** When the remaining items will be done at that rate, counting only window time; null without a rate. */
  finish_at: string | null;
  /** Whether `finish_at` is by `complete_by`: false as early as that is known; null without `complete_by` or a rate. */
  on_track: boolean | null;
  basis: EstimateBasis;
}

/** One line of `GET /v1/batches/{id}/results`: an item's outcome. */
export interface BatchResultLine {
  custom_id: string;
  job_id: string;
  status: JobStatus;
  output_text: string | null;
  output_json: unknown;
  error: JobError | null;
  cost_usd: number;
}

/**
 * Extension: the last line of `GET /v1/batches/{id}/results`, written only when every item is
 * finished, so a reader can tell a complete file from one cut short or read while the batch runs.
 */
export interface BatchResultsEnd {
  object: "batch.results_end";
  batch_id: string;
  status: BatchStatus;
  counts: BatchCounts;
  cost_usd: number;
}

const Counts = z.object({
  total: z.number().int(),
  queued: z.number().int(),
  running: z.number().int(),
  succeeded: z.number().int(),
  failed: z.number().int(),
  cancelled: z.number().int(),
});
const Status = z.enum(["queued", "running", "completed", "cancelled"]);
const WindowView = z
  .object({
    start: z.string(),
    end: z.string(),
    time_zone: z.string(),
    open: z.boolean(),
    opens_at: z.string().nullable(),
    closes_at: z.string(),
  })
  .describe("The server's daily window for batch work and whether it is open now.");
const Estimate = z
  .object({
    remaining: z.number().int(),
    items_per_minute: z.number().nullable(),
    finish_at: z.string().nullable(),
    on_track: z.boolean().nullable(),
    basis: z.enum(["measured", "warming_up", "not_started", "no_time_left", "finished", "cancelled"]),
  })
  .describe(
    "When the batch will be done at the rate measured so far (window time only), and whether that is by complete_by.",
  );

export const BatchObjectSchema = z
  .object({
    id: z.string().regex(/^batch_/),
    object: z.literal("batch"),
    status: Status,
    counts: Counts,
    cost_usd: z.number(),
    created_at: z.string(),
    finished_at: z.string().nullable(),
    not_before: z.string().nullable(),
    complete_by: z.string().nullable(),
    started_at: z.string().nullable(),
    cancel_requested_at: z.string().nullable(),
    window: WindowView.nullable(),
    estimate: Estimate,
  })
  .describe("A batch: its status, how many items are in each state, and what they cost so far.");

export const BatchResultLineSchema = z
  .object({
    custom_id: z.string(),
    job_id: z.string().regex(/^job_/),
    status: z.enum(["queued", "running", "succeeded", "failed", "cancelled"]),
    output_text: z.string().nullable(),
    output_json: z.unknown(),
    error: z.object({ type: z.string(), message: z.string() }).nullable(),
    cost_usd: z.number(),
  })
  .describe("One line of a batch's results: one item, in submission order.");

export const BatchResultsEndSchema = z
  .object({
    object: z.literal("batch.results_end"),
    batch_id: z.string().regex(/^batch_/),
    status: Status,
    counts: Counts,
    cost_usd: z.number(),
  })
  .describe("The last line of a batch's results, written only once every item has finished.");

type Exactly<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const batchMatches: Exactly<z.infer<typeof BatchObjectSchema>, PublicBatch> = true;
const lineMatches: Exactly<z.infer<typeof BatchResultLineSchema>, BatchResultLine> = true;
const endMatches: Exactly<z.infer<typeof BatchResultsEndSchema>, BatchResultsEnd> = true;
void [batchMatches, lineMatches, endMatches];
