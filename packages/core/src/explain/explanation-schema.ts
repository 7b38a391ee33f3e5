import { z } from "zod";

/**
 * The operator's explanation of a job (`GET /v1/admin/jobs/{id}/explain`) as a zod schema: the
 * source of the types below and of the OpenAPI document. Every step has `at` (ISO-8601 UTC),
 * `kind` and `text` (one line in words); the other fields are the same facts as data.
 */

const base = { at: z.string(), text: z.string() };
const ofAttempt = { attempt: z.number().int().min(1) };
const CheckVerdict = z.object({ name: z.string(), passed: z.boolean(), reason: z.string() });
/** Which part of a map-reduce job a step is about (1-based); absent on the job's own steps. */
export const PartLabelSchema = z.object({
  round: z.number().int().min(1),
  index: z.number().int().min(1),
  total: z.number().int().min(1),
});
const ofPart = { part: PartLabelSchema.optional() };

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
    ...ofPart,
    deployment: z.string(),
    reason: z.string(),
  }),
  z.object({
    ...base,
    kind: z.literal("attempt"),
    ...ofPart,
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
    ...ofPart,
    deployment: z.string(),
    elapsed_ms: z.number(),
    soft_limit_ms: z.number(),
  }),
  z.object({
    ...base,
    ...ofAttempt,
    kind: z.literal("checks"),
    ...ofPart,
    checks: z.array(CheckVerdict),
    failed: z.array(z.string()),
  }),
  z.object({
    ...base,
    ...ofAttempt,
    kind: z.literal("confidence"),
    ...ofPart,
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
    ...ofPart,
    tier: z.string(),
    /** The backoff before the next try, when the job's event stream still holds it. */
    retry_in_ms: z.number().nullable(),
  }),
  z.object({
    ...base,
    kind: z.literal("escalated"),
    ...ofPart,
    /** The attempt whose outcome moved the job. */
    attempt: z.number().int().min(1).nullable(),
    from_tier: z.string(),
    to_tier: z.string(),
    cause: EscalationCauseSchema,
    reason: z.string(),
  }),
  z.object({
    ...base,
    kind: z.literal("split"),
    /** 1: the input was split; 2 and on: the joined summaries of the round before were, again. */
    round: z.number().int().min(1),
    source: z.enum(["input", "summaries"]),
    /**
     * Tokens of what was split: the job's input (round 1), or the accepted answers of the round
     * before added up (about: they are joined with blank lines). Null when not known.
     */
    input_tokens: z.number().int().nullable(),
    parts: z.number().int().min(1),
    /**
     * The most tokens one call may take, as the config has it now: `chunk_tokens`, or less when the
     * starting tier's smallest context window needs it. Null when the task no longer map-reduces.
     */
    limit_tokens: z.number().int().nullable(),
    limited_by: z.enum(["chunk_tokens", "context_window"]).nullable(),
    /** The config field that set the limit (`tasks.summarize.map_reduce.chunk_tokens`, `models.<name>.context_window`). */
    config_field: z.string(),
    /** The most rounds the task allows (`map_reduce.max_levels`), when the config has it. */
    max_levels: z.number().int().nullable(),
  }),
  z.object({
    ...base,
    kind: z.literal("part"),
    part: PartLabelSchema,
    /** The part's own record (internal: not a public job id). */
    id: z.string(),
    status: z.enum(["queued", "running", "succeeded", "failed", "cancelled", "unknown"]),
    /** Characters of the round's text it covers (round 1: of the input) and its tokens; known for the job's last round. */
    span: z.object({ start: z.number().int(), end: z.number().int(), tokens: z.number().int() }).nullable(),
    /** The tiers its calls went to, in order (a tier once per stay). */
    tiers: z.array(z.string()),
    /** Its attempts' numbers in the job's history (`attempt` steps with this `part` follow). */
    attempts: z.array(z.number().int().min(1)),
    /** The part's own escalations (never the job's). */
    escalations: z.array(
      z.object({
        at: z.string(),
        from_tier: z.string(),
        to_tier: z.string(),
        cause: EscalationCauseSchema,
        reason: z.string(),
      }),
    ),
    cost_usd: z.number(),
    error: z.object({ type: z.string(), message: z.string() }).nullable(),
    /**
     * `part_record`: told from the part's own record (status, escalations, events);
     * `job_attempts`: that record is gone, so only from its attempts in the job's history.
     */
    source: z.enum(["part_record", "job_attempts"]),
  }),
  z.object({
    ...base,
    kind: z.literal("combine"),
    /** The round whose summaries the job's own call combines (its last). */
    round: z.number().int().min(1),
    /** How many summaries it combines. */
    summaries: z.number().int().min(1),
    /** The tier of the job's first combining call (escalations of the job's own follow). */
    tier: z.string(),
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
  /** The part the attempt worked on (map-reduce); absent on the job's own calls. */
  chunk: PartLabelSchema.optional(),
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
    cost: z.object({
      total_usd: z.number(),
      by_attempt: z.array(AttemptCostSchema),
      /** Map-reduce: what the parts' calls cost together, and the job's own (combining) calls. */
      parts_usd: z.number().optional(),
      combine_usd: z.number().optional(),
    }),
  })
  .describe(
    "A job's story in words: the rule or default that chose its tier, every attempt with its checks, confidence, cost and outcome, every escalation and its cause, and how it ended. A long input summarized in parts (map-reduce) adds the split, each part's own attempts and escalations, and the call that combined their summaries.",
  );

export type EscalationCause = z.infer<typeof EscalationCauseSchema>;
export type PartLabel = z.infer<typeof PartLabelSchema>;
export type ExplainStep = z.infer<typeof ExplainStepSchema>;
/** The steps of one attempt: the ones a map-reduce job's part labels with `part`. */
export type AttemptStep = Extract<
  ExplainStep,
  { kind: "deployment_skipped" | "attempt" | "slow" | "checks" | "confidence" | "retry" | "escalated" }
>;
export type AttemptCost = z.infer<typeof AttemptCostSchema>;
export type JobExplanation = z.infer<typeof JobExplanationSchema>;
