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
