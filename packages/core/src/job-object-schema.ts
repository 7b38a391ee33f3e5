import { z } from "zod";
import type { PublicJob } from "./job-record.ts";

/**
 * The job object of the contract as a zod schema, for the OpenAPI document and for tests that
 * check every answer against it. The type assertion below fails to compile if it drifts from
 * `PublicJob`, the type the code uses.
 */

const Usage = z.object({ input_tokens: z.number().int(), output_tokens: z.number().int() });

const CheckVerdict = z.object({ name: z.string(), passed: z.boolean(), reason: z.string() });

export const AttemptSchema = z
  .object({
    n: z.number().int().min(1),
    tier: z.string(),
    provider: z.string(),
    model: z.string(),
    deployment: z.string(),
    outcome: z.enum([
      "succeeded",
      "low_confidence",
      "quality_failed",
      "error",
      "timeout",
      "rate_limited",
      "cancelled",
    ]),
    detail: z.string(),
    latency_ms: z.number().int(),
    usage: Usage,
    cost_usd: z.number(),
    confidence: z.number().nullable(),
    confidence_signal: z.string().nullable(),
    confidence_detail: z.string().nullable().optional(),
    checks: z.array(CheckVerdict),
    output_text: z.string().nullable(),
    started_at: z.string(),
    finished_at: z.string(),
    chunk: z
      .object({
        round: z.number().int().min(1),
        index: z.number().int().min(1),
        total: z.number().int().min(1),
      })
      .optional()
      .describe(
        "The part of a long input this call summarized (map-reduce); absent for the job's own calls.",
      ),
  })
  .describe("One provider call of the job, with why it ended as it did.");

export const JobObjectSchema = z
  .object({
    id: z.string().regex(/^job_/),
    object: z.literal("job"),
    status: z.enum(["queued", "running", "succeeded", "failed", "cancelled"]),
    class: z.enum(["interactive", "batch"]),
    task: z.string(),
    tier: z.string(),
    routing: z.object({
      initial_tier: z.string(),
      max_tier: z.string(),
      reason: z.string(),
      escalations: z.array(
        z.object({ from_tier: z.string(), to_tier: z.string(), reason: z.string(), at: z.string() }),
      ),
    }),
    result: z
      .object({
        output_text: z.string(),
        output_json: z.unknown(),
        provider: z.string(),
        model: z.string(),
        tier: z.string(),
        finish_reason: z.string(),
        confidence: z.number().nullable(),
        confidence_signal: z.string().nullable(),
        usage: Usage,
      })
      .nullable(),
    attempts: z.array(AttemptSchema),
    cost_usd: z.number(),
    error: z.object({ type: z.string(), message: z.string() }).nullable(),
    metadata: z.record(z.string(), z.string()),
    batch_id: z.string().nullable(),
    progress: z
      .object({
        phase: z.enum(["map", "reduce"]),
        round: z.number().int().min(1),
        chunks_done: z.number().int().min(0),
        chunks_total: z.number().int().min(1),
      })
      .optional()
      .describe(
        "A long input summarized in parts: `map` while its parts are summarized (done of total), `reduce` for the call that combines them.",
      ),
    created_at: z.string(),
    started_at: z.string().nullable(),
    finished_at: z.string().nullable(),
  })
  .describe(
    "A job: its status, why it went where it went, every attempt with tokens and cost, and the result.",
  );

export const ErrorEnvelopeSchema = z
  .object({
    error: z.object({
      type: z.string(),
      message: z.string(),
      param: z.string().optional(),
    }),
  })
  .describe("Every non-2xx answer.");

type Exactly<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const jobObjectMatchesPublicJob: Exactly<z.infer<typeof JobObjectSchema>, PublicJob> = true;
void jobObjectMatchesPublicJob;
