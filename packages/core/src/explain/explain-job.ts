import type { JobEvent } from "../job-events.ts";
import type { Attempt, Escalation, JobRecord, PublicJob } from "../job-record.ts";
import { eventsByAttempt } from "./attempt-events.ts";
import type { TaskPolicy } from "./explain-attempt.ts";
import { explainAttempt } from "./explain-attempt.ts";
import type { TierWindows } from "./explain-map-reduce.ts";
import { explainMapReduce } from "./explain-map-reduce.ts";
import { causeOf, causeWords, errorHint, plural, signalWords, usd } from "./explain-words.ts";
import type { ExplainStep, JobExplanation } from "./explanation-schema.ts";
import type { StoredPart } from "./map-reduce-parts.ts";
import { isMapReduce, roundsOf } from "./map-reduce-parts.ts";
import { attemptsWords, costSplit, progressWords, summarizeMapReduce } from "./map-reduce-summary.ts";

export interface ExplainJobInput {
  /** The stored record: the public job plus the route (rules matched) and any call in flight. */
  record: JobRecord;
  /**
   * The job's event stream, oldest first (`JobEvents.history`). It adds what the record does not
   * keep (deployments skipped, soft limits passed, retry backoffs); empty once it expired.
   * @defaultValue []
   */
  events?: readonly JobEvent[];
  /** The job's task as the config has it now: the thresholds behind "min_confidence 0.7 for task …". */
  task?: TaskPolicy;
  /**
   * A map-reduce job's parts, by record id (`partIdsOf`, `loadJobParts`): their own records keep
   * their escalations and status, their streams their retries. A part missing here is told from
   * its attempts in the job's history alone.
   * @defaultValue no part records
   */
  parts?: ReadonlyMap<string, StoredPart>;
  /** The job's starting tier as the config has it now: its smallest context window may cap a part's size. */
  startTier?: TierWindows;
}

// `chooseRoute`'s words for a rule's choice, for records stored before the rule name was kept apart.
const RULE_IN_REASON = /^rule "([^"]+)"/;

/**
 * Tells a job's story for an operator, in words and as data: the rule (or the task's default)
 * that chose its tier and what capped it, every attempt (deployments skipped, provider and model,
 * outcome, tokens, latency, cost), each answer's quality checks and confidence against the task's
 * threshold, every escalation and its cause, and how the job ended. A long input summarized in
 * parts (map-reduce) also gets each round's split, each part's own attempts and escalations
 * (labelled `part`), and the hand-over to the job's own call that combines their summaries: only
 * those calls are paired with the job's escalations. Pure: it reads only its input.
 *
 * @example
 * const explanation = explainJob({ record, events: await events.history(id), task: config.tasks.get(record.job.task) });
 * // explanation.summary: 'Succeeded on tier "standard" (openai gpt-5.4-mini) after 2 attempts and 1 escalation (low confidence); …'
 */
export function explainJob(input: ExplainJobInput): JobExplanation {
  const { record, task } = input;
  const job = record.job;
  const byAttempt = eventsByAttempt(input.events ?? []);
  // A map-reduce job's parts' attempts are in its history too, but only its own calls (no `chunk`)
  // are its own story: its escalations, retries and the call that ended it.
  const own = job.attempts.filter((attempt) => !attempt.chunk);
  const escalationOf = ownersOfEscalations(job, own);
  const rounds = isMapReduce(record) ? roundsOf(record, input.parts) : undefined;

  const steps: ExplainStep[] = [routedStep(record)];
  if (rounds) steps.push(...explainMapReduce({ record, rounds, task, startTier: input.startTier }));
  const ownFrom = Math.max(1, steps.length);
  own.forEach((attempt, i) => {
    steps.push(
      ...explainAttempt({
        attempt,
        job,
        events: byAttempt.get(attempt.n),
        escalation: escalationOf.get(attempt.n),
        next: own[i + 1],
        task,
      }),
    );
  });
  const end = endStep(record, rounds !== undefined);
  // A cancel lands while a call runs on: tell it where it happened, before the call's late steps
  // (a part's late call stays with its part).
  const later =
    job.status === "cancelled" ? steps.findIndex((step, i) => i >= ownFrom && step.at > end.at) : -1;
  steps.splice(later === -1 ? steps.length : later, 0, end);

  return {
    object: "job_explanation",
    job_id: job.id,
    status: job.status,
    tenant: record.tenant,
    task: job.task,
    class: job.class,
    summary: rounds ? summarizeMapReduce(record, rounds) : summarize(job),
    steps,
    cost: {
      total_usd: job.cost_usd,
      by_attempt: job.attempts.map((attempt) => ({
        n: attempt.n,
        tier: attempt.tier,
        provider: attempt.provider,
        model: attempt.model,
        deployment: attempt.deployment,
        outcome: attempt.outcome,
        input_tokens: attempt.usage.input_tokens,
        output_tokens: attempt.usage.output_tokens,
        latency_ms: attempt.latency_ms,
        cost_usd: attempt.cost_usd,
        ...(attempt.chunk ? { chunk: attempt.chunk } : {}),
      })),
      ...(rounds ? costSplit(record) : {}),
    },
  };
}

function routedStep(record: JobRecord): ExplainStep {
  const { routing } = record.job;
  const rule =
    record.route.rule !== undefined ? record.route.rule : (RULE_IN_REASON.exec(routing.reason)?.[1] ?? null);
  const matched = record.route.matched_rules ?? (rule === null ? [] : [rule]);
  const others = matched.filter((name) => name !== rule);
  let text = `starts on tier "${routing.initial_tier}" (${routing.reason}); may escalate up to "${routing.max_tier}"`;
  if (others.length > 0) text += `; other rules matched: ${others.map((name) => `"${name}"`).join(", ")}`;
  return {
    at: record.job.created_at,
    kind: "routed",
    rule,
    matched_rules: matched,
    initial_tier: routing.initial_tier,
    max_tier: routing.max_tier,
    reason: routing.reason,
    text,
  };
}

/**
 * Which attempt caused each escalation: the last one finished by then (the processor stamps the
 * escalation with that attempt's finish time), keyed by attempt number.
 */
function ownersOfEscalations(
  job: PublicJob,
  own: readonly Attempt[],
): Map<number, { escalation: Escalation; index: number }> {
  const owners = new Map<number, { escalation: Escalation; index: number }>();
  job.routing.escalations.forEach((escalation, i) => {
    const owner = own.findLast((attempt) => attempt.finished_at <= escalation.at);
    if (owner) owners.set(owner.n, { escalation, index: i + 1 });
  });
  return owners;
}

function endStep(record: JobRecord, mapReduce: boolean): ExplainStep {
  const job = record.job;
  const lastAttempt = job.attempts.at(-1);
  const spent = `${mapReduce ? attemptsWords(record) : plural(job.attempts.length, "attempt")}, total ${usd(job.cost_usd)}`;
  if (job.status === "queued" || job.status === "running") {
    const call = record.in_flight;
    const doing =
      job.status === "running" && call
        ? `running on tier "${job.tier}": a call to ${call.deployment} under way since ${call.started_at}`
        : mapReduce
          ? `${job.status} ${progressWords(record)}`
          : `${job.status} on tier "${job.tier}"${record.hop > 1 ? ` (hop ${record.hop})` : ""}`;
    return {
      at: call?.started_at ?? lastAttempt?.finished_at ?? job.created_at,
      kind: "pending",
      status: job.status,
      tier: job.tier,
      deployment: call?.deployment ?? null,
      text: `not finished: ${doing}; so far ${spent}`,
    };
  }
  const at = job.finished_at ?? lastAttempt?.finished_at ?? job.created_at;
  let text: string;
  if (job.status === "succeeded") {
    const result = job.result;
    const by = result ? ` with ${result.provider} ${result.model}` : "";
    text = `succeeded on tier "${result?.tier ?? job.tier}"${by}; ${spent}`;
  } else if (job.status === "failed") {
    const error = job.error ?? { type: "unknown", message: "no error recorded" };
    const hint = errorHint(error.type);
    text = `failed with ${error.type}: ${error.message}${hint ? ` — ${hint}` : ""}; ${spent}`;
  } else {
    text = `cancelled by the client on tier "${job.tier}"; ${spent}`;
  }
  return { at, kind: "finished", status: job.status, error: job.error, text };
}

/** The story in one sentence. */
function summarize(job: PublicJob): string {
  const count = job.attempts.length;
  const causes = job.routing.escalations.map((escalation) => {
    const owner = job.attempts.findLast((attempt) => attempt.finished_at <= escalation.at);
    return causeWords(causeOf(owner));
  });
  const moves = causes.length > 0 ? ` and ${plural(causes.length, "escalation")} (${causes.join(", ")})` : "";
  const total = usd(job.cost_usd);
  switch (job.status) {
    case "succeeded": {
      const result = job.result;
      const where = `tier "${result?.tier ?? job.tier}"${result ? ` (${result.provider} ${result.model})` : ""}`;
      const when = count === 1 ? "at the first attempt" : `after ${plural(count, "attempt")}${moves}`;
      const confidence =
        result?.confidence == null
          ? ""
          : `; confidence ${result.confidence.toFixed(2)} (${signalWords(result.confidence_signal ?? "")})`;
      return `Succeeded on ${where} ${when}${confidence}; total ${total}.`;
    }
    case "failed":
      return `Failed (${job.error?.type ?? "unknown"}) after ${plural(count, "attempt")}${moves}: ${job.error?.message ?? ""}; total ${total}.`;
    case "cancelled":
      return `Cancelled by the client on tier "${job.tier}" after ${plural(count, "attempt")}${moves}; total ${total}.`;
    default:
      return `Still ${job.status} on tier "${job.tier}" after ${plural(count, "attempt")}${moves}; ${total} so far.`;
  }
}
