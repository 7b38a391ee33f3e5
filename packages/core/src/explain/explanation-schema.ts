import { z } from "zod";

/**
 * The operator's explanation of a job (`GET /v1/admin/jobs/{id}/explain`) as a zod schema: the
 * source of the types below and of the OpenAPI document. Every step has `at` (ISO-8601 UTC),
 * `kind` and `text` (one line in words); the other fields are the same facts as data.
 */

const base = { at: z.string(), text: z.string() };
const ofAttempt = { attempt: z.number().int().min(1) };
const CheckVerdict = z.object({ name: z.string(), passed: z.boolean(), reason: z.string() });

/** Why a job moved to another tier: a judged answer, or every try on the tier failing. */
export const EscalationCauseSchema = z.enum(["low_confidence", "quality_failed", "fallback"]);

export const ExplainStepSchema = z.discriminatedUnion("kind", [
  z.object({
    ...base,
    kind: z.literal("routed"),
    /** The rule that chose the starting tier; null for the task's default tier or a pinned tier. */
    rule: z.string().nullable(),
    matched_rules: z.array(z.string()),
    initial_tier: z.string(),
    max_tier: z.string(),
    reason: z.string(),
  }),
  z.object({
    ...base,
    ...ofAttempt,
    kind: z.literal("deployment_skipped"),
    deployment: z.string(),
    reason: z.string(),
  }),
  z.object({
    ...base,
    kind: z.literal("attempt"),
    n: z.number().int().min(1),
    tier: z.string(),
    provider: z.string(),
    model: z.string(),
    deployment: z.string(),
    outcome: z.string(),
    latency_ms: z.number(),
    input_tokens: z.number().int(),
    output_tokens: z.number().int(),
    cost_usd: z.number(),
    detail: z.string(),
  }),
  z.object({
    ...base,
    ...ofAttempt,
    kind: z.literal("slow"),
    deployment: z.string(),
    elapsed_ms: z.number(),
    soft_limit_ms: z.number(),
  }),
  z.object({
    ...base,
    ...ofAttempt,
    kind: z.literal("checks"),
    checks: z.array(CheckVerdict),
    failed: z.array(z.string()),
  }),
  z.object({
    ...base,
    ...ofAttempt,
    kind: z.literal("confidence"),
    value: z.number(),
    signal: z.string(),
    /** What drove the value, when the attempt recorded it. */
    detail: z.string().nullable(),
    /** The task's threshold as applied (from the attempt's verdict, else the config now). */
    min_confidence: z.number().nullable(),
    /** `not_compared`: a failed check decided first. */
    decision: z.enum(["accepted", "escalate", "accepted_at_limit", "not_compared"]),
  }),
  z.object({
    ...base,
    ...ofAttempt,
    kind: z.literal("retry"),
    tier: z.string(),
    /** The backoff before the next try, when the job's event stream still holds it. */
    retry_in_ms: z.number().nullable(),
  }),
  z.object({
    ...base,
    kind: z.literal("escalated"),
    /** The attempt whose outcome moved the job. */
    attempt: z.number().int().min(1).nullable(),
    from_tier: z.string(),
    to_tier: z.string(),
    cause: EscalationCauseSchema,
    reason: z.string(),
  }),
  z.object({
    ...base,
    kind: z.literal("finished"),
    status: z.enum(["succeeded", "failed", "cancelled"]),
    error: z.object({ type: z.string(), message: z.string() }).nullable(),
  }),
  z.object({
    ...base,
    kind: z.literal("pending"),
    status: z.enum(["queued", "running"]),
    tier: z.string(),
    /** The call under way, when the job is running one. */
    deployment: z.string().nullable(),
  }),
]);

export const AttemptCostSchema = z.object({
  n: z.number().int().min(1),
  tier: z.string(),
  provider: z.string(),
  model: z.string(),
  deployment: z.string(),
  outcome: z.string(),
  input_tokens: z.number().int(),
  output_tokens: z.number().int(),
  latency_ms: z.number(),
  cost_usd: z.number(),
});

export const JobExplanationSchema = z
  .object({
    object: z.literal("job_explanation"),
    job_id: z.string(),
    status: z.enum(["queued", "running", "succeeded", "failed", "cancelled"]),
    /** The API key name that owns the job (operators see every tenant's jobs). */
    tenant: z.string(),
    task: z.string(),
    class: z.enum(["interactive", "batch"]),
    summary: z.string(),
    steps: z.array(ExplainStepSchema),
    cost: z.object({ total_usd: z.number(), by_attempt: z.array(AttemptCostSchema) }),
  })
  .describe(
    "A job's story in words: the rule or default that chose its tier, every attempt with its checks, confidence, cost and outcome, every escalation and its cause, and how it ended.",
  );

export type EscalationCause = z.infer<typeof EscalationCauseSchema>;
export type ExplainStep = z.infer<typeof ExplainStepSchema>;
export type AttemptCost = z.infer<typeof AttemptCostSchema>;
export type JobExplanation = z.infer<typeof JobExplanationSchema>;
