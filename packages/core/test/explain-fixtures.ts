import { expect } from "vitest";
import type { TaskPolicy } from "../src/explain/explain-attempt.ts";
import { explainJob } from "../src/explain/explain-job.ts";
import type { JobExplanation } from "../src/explain/explanation-schema.ts";
import { JobExplanationSchema } from "../src/explain/explanation-schema.ts";
import type { JobEvent, JobEventType } from "../src/job-events.ts";
import type { Attempt, JobRecord, PublicJob } from "../src/job-record.ts";

/**
 * Job records and event streams for the explanation's tests, shaped after what the processor
 * really stores (taken from runs against the simulator): the same detail words, check verdicts,
 * confidence signals, escalation reasons and event payloads.
 */

const T0 = Date.parse("2026-11-23T01:13:50.000Z");

/** An ISO time `ms` after the fixtures' epoch. */
export const at = (ms: number): string => new Date(T0 + ms).toISOString();

/** A stream event `ms` after the epoch (stream ids carry the time). */
export function event(ms: number, type: JobEventType, data: unknown, seq = 0): JobEvent {
  return { id: `${T0 + ms}-${seq}`, type, data };
}

const CHECKS_CHAT = ["empty", "truncated", "refusal", "json_schema", "language"];
const CHECKS_EXTRACT = ["empty", "truncated", "refusal", "json_schema"];

export const passed = (names: readonly string[]) =>
  names.map((name) => ({ name, passed: true, reason: "ok" }));
export const chatChecks = () => passed(CHECKS_CHAT);
export const extractChecks = () => passed(CHECKS_EXTRACT);

const MODELS: Record<string, { provider: string; model: string }> = {
  "fast/gpt-5.4-nano": { provider: "simulated-openai", model: "gpt-5.4-nano" },
  "fast/claude-haiku-4-5": { provider: "simulated-anthropic", model: "claude-haiku-4-5" },
  "standard/gpt-5.4-mini": { provider: "simulated-openai", model: "gpt-5.4-mini" },
  "capable/gpt-5.4": { provider: "simulated-openai", model: "gpt-5.4" },
};

/** One attempt on `deployment` (`<tier>/<model>`), from `startMs` to `endMs`. */
export function attempt(
  n: number,
  deployment: string,
  startMs: number,
  endMs: number,
  fields: Partial<Attempt> & Pick<Attempt, "outcome" | "detail">,
): Attempt {
  const known = MODELS[deployment] ?? { provider: "simulated-openai", model: deployment.split("/")[1] ?? "" };
  return {
    n,
    tier: deployment.split("/")[0] ?? "",
    provider: known.provider,
    model: known.model,
    deployment,
    latency_ms: endMs - startMs,
    usage: { input_tokens: 0, output_tokens: 0 },
    cost_usd: 0,
    confidence: null,
    confidence_signal: null,
    checks: [],
    output_text: null,
    started_at: at(startMs),
    finished_at: at(endMs),
    ...fields,
  };
}

/** A failed call's attempt: no tokens, no cost, no judgement. */
export const failedCall = (
  n: number,
  deployment: string,
  startMs: number,
  endMs: number,
  outcome: Attempt["outcome"],
  detail: string,
) => attempt(n, deployment, startMs, endMs, { outcome, detail });

/** A job record as the store keeps it; `job` overrides the public job's fields. */
export function jobRecord(job: Partial<PublicJob>, extra: Partial<JobRecord> = {}): JobRecord {
  const attempts = job.attempts ?? [];
  return {
    tenant: "tenant-a",
    hop: 1 + (job.routing?.escalations.length ?? 0),
    request: {
      messages: [{ role: "user", content: "Tell me about tides." }],
      response_format: undefined,
      max_output_tokens: 1024,
      temperature: undefined,
      timeouts: { soft_ms: undefined, hard_ms: undefined },
      webhook_url: undefined,
    },
    route: {
      requirements: { jsonMode: false, logprobs: false, contextTokens: 1036, providers: undefined },
      input_tokens: 12,
      rule: null,
      matched_rules: [],
    },
    in_flight: null,
    deadline_at: at(300_000),
    ...extra,
    job: {
      id: "job_01m82zet4qentk6jzz58c6d4w9",
      object: "job",
      status: "succeeded",
      class: "interactive",
      task: "chat",
      tier: "fast",
      routing: {
        initial_tier: "fast",
        max_tier: "capable",
        reason: 'task "chat" starts at its default tier "fast"',
        escalations: [],
      },
      result: null,
      attempts,
      cost_usd: Number(attempts.reduce((sum, a) => sum + a.cost_usd, 0).toFixed(10)),
      error: null,
      metadata: {},
      batch_id: null,
      created_at: at(0),
      started_at: attempts[0]?.started_at ?? null,
      finished_at: attempts.at(-1)?.finished_at ?? null,
      ...job,
    },
  };
}

/** The result of a job accepted on `a`. */
export function resultOf(a: Attempt): PublicJob["result"] {
  return {
    output_text: "…",
    output_json: null,
    provider: a.provider,
    model: a.model,
    tier: a.tier,
    finish_reason: "stop",
    confidence: a.confidence,
    confidence_signal: a.confidence_signal,
    usage: a.usage,
  };
}

/** The default config's tasks, as `config.tasks.get(name)` gives them. */
export const CHAT: TaskPolicy = {
  escalation: { minConfidence: 0.5, onQualityFailure: "top", maxEscalations: 2 },
};
export const EXTRACT: TaskPolicy = {
  escalation: { minConfidence: 0.7, onQualityFailure: "top", maxEscalations: 2 },
};

/** Explains, and checks the answer against the schema the OpenAPI document publishes. */
export function explain(...args: Parameters<typeof explainJob>): JobExplanation {
  const explanation = explainJob(...args);
  expect(JobExplanationSchema.parse(explanation)).toEqual(explanation);
  return explanation;
}
