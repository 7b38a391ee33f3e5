import { sumCostUsd } from "../cost.ts";
import type { Attempt, ChunkLabel, Escalation, JobError, JobRecord } from "../job-record.ts";
import { type AttemptEvents, eventsByAttempt } from "./attempt-events.ts";
import { explainAttempt, type TaskPolicy } from "./explain-attempt.ts";
import { causeOf, causeWords, plural, usd } from "./explain-words.ts";
import type { ExplainStep } from "./explanation-schema.ts";
import type { PartFacts } from "./map-reduce-parts.ts";

type PartStep = Extract<ExplainStep, { kind: "part" }>;

/** One escalation of a part, and the attempt (in the job's history) whose outcome moved it. */
export interface PartEscalation {
  escalation: Escalation;
  cause: PartStep["escalations"][number]["cause"];
  owner: Attempt | undefined;
}

/** How a part is named in every line about it: `part 3/12`, or `round 2 part 1/2` when there were rounds. */
export function partName(label: ChunkLabel, rounds: number): string {
  return `${rounds > 1 ? `round ${label.round} ` : ""}part ${label.index}/${label.total}`;
}

/**
 * A part's escalations: from its own record (the only place they are kept), else read off its
 * attempts in the job's history (a move to another tier between two of them), with the attempt
 * that caused each.
 */
export function partEscalations(part: PartFacts): PartEscalation[] {
  const own = part.stored?.record.job;
  if (own) {
    return own.routing.escalations.map((escalation) => {
      const k = own.attempts.findLastIndex((attempt) => attempt.finished_at <= escalation.at);
      return { escalation, cause: causeOf(own.attempts[k]), owner: k >= 0 ? part.attempts[k] : undefined };
    });
  }
  return part.attempts.flatMap((attempt, i) => {
    const next = part.attempts[i + 1];
    if (!next || next.tier === attempt.tier) return [];
    const escalation = {
      from_tier: attempt.tier,
      to_tier: next.tier,
      reason: attempt.detail,
      at: attempt.finished_at,
    };
    return [{ escalation, cause: causeOf(attempt), owner: attempt }];
  });
}

/** The part's header step, then every step of its attempts (labelled with the part). */
export function explainPart(
  record: JobRecord,
  part: PartFacts,
  rounds: number,
  task: TaskPolicy | undefined,
) {
  const name = partName(part.label, rounds);
  const escalations = partEscalations(part);
  const byOwner = new Map(
    escalations.map((e, i) => [e.owner?.n, { escalation: e.escalation, index: i + 1 }]),
  );
  const own = part.stored?.record.job;
  const events: Map<number, AttemptEvents> = part.stored?.events
    ? eventsByAttempt(part.stored.events)
    : new Map();
  const steps: ExplainStep[] = [headerStep(record, part, name, escalations)];
  part.attempts.forEach((attempt, k) => {
    const story = explainAttempt({
      attempt,
      job: record.job,
      // The part's own stream numbers its attempts from 1; the job's history numbers them on.
      events: events.get(own?.attempts[k]?.n ?? k + 1),
      escalation: byOwner.get(attempt.n),
      next: part.attempts[k + 1],
      task,
    });
    for (const step of story) steps.push({ ...step, part: part.label, text: `${name}: ${step.text}` });
  });
  return steps;
}

function headerStep(
  record: JobRecord,
  part: PartFacts,
  name: string,
  escalations: PartEscalation[],
): PartStep {
  const own = part.stored?.record.job;
  const status = statusOf(record, part);
  const error = own ? own.error : status === "failed" ? errorFromJob(record) : null;
  const cost = sumCostUsd(part.attempts.map((attempt) => attempt.cost_usd));
  const tiers = part.attempts
    .map((attempt) => attempt.tier)
    .filter((tier, i, all) => i === 0 || all[i - 1] !== tier);
  const { span } = part;
  const where = span
    ? ` (characters ${count(span.start)}–${count(span.end)} of ${part.label.round === 1 ? "the input" : "the round's text"}, ${count(span.tokens)} tokens)`
    : "";
  const tries = part.attempts.length;
  const after = tries === 1 ? "at the first attempt" : `after ${plural(tries, "attempt")}`;
  let text: string;
  switch (status) {
    case "succeeded":
      text = `succeeded on tier "${tiers.at(-1) ?? own?.tier ?? "?"}" ${after}`;
      break;
    case "failed":
      text = `failed${error ? ` with ${error.type}: ${error.message}` : ""} ${after}`;
      break;
    case "cancelled":
      text = `cancelled, its job stopped it, ${after}`;
      break;
    case "queued":
    case "running":
      text = `${status} on tier "${own?.tier ?? "?"}": its attempts (${own?.attempts.length ?? 0} so far) join the job's history when it finishes`;
      break;
    default:
      text = "its record is gone and none of its attempts is in the job's history";
  }
  if (escalations.length > 0) {
    const moves = escalations.map(
      (e) => `"${e.escalation.from_tier}" → "${e.escalation.to_tier}" (${causeWords(e.cause)})`,
    );
    text += `; escalated on its own ${moves.join(", ")}`;
  }
  if (tries > 0) text += `; ${usd(cost)}`;
  if (!own && tries > 0) text += "; its own record expired: told from its attempts in the job's history";
  return {
    at:
      part.attempts[0]?.started_at ??
      part.stored?.record.job.created_at ??
      record.job.started_at ??
      record.job.created_at,
    kind: "part",
    part: part.label,
    id: part.id,
    status,
    span,
    tiers,
    attempts: part.attempts.map((attempt) => attempt.n),
    escalations: escalations.map(({ escalation, cause }) => ({ ...escalation, cause })),
    cost_usd: cost,
    error,
    source: own ? "part_record" : "job_attempts",
    text: `${name}${where}: ${text}`,
  };
}

/** What became of a part whose record may be gone: its attempts, the job's state and error say. */
function statusOf(record: JobRecord, part: PartFacts): PartStep["status"] {
  const own = part.stored?.record.job;
  if (own) return own.status;
  const last = part.attempts.at(-1);
  const state = record.map_reduce;
  if (last?.outcome === "succeeded") return "succeeded";
  if (state?.round === part.label.round && state.outputs[part.label.index - 1] != null) return "succeeded";
  if (failedPart(record)?.index === part.label.index && state?.round === part.label.round) return "failed";
  if (last?.outcome === "cancelled" || record.job.status === "cancelled") return "cancelled";
  return "unknown";
}

// `partFailure`'s words: "part 3 of 12, characters … failed: provider_error: …".
const FAILED_PART = /^part (\d+) of \d+.*? failed: (?:([a-z_]+): )?(.*)$/;

/** The part named in the job's `chunk_failed` error (always one of its current round). */
export function failedPart(record: JobRecord): { index: number; error: JobError } | undefined {
  const error = record.job.error;
  const match = error?.type === "chunk_failed" ? FAILED_PART.exec(error.message) : null;
  if (!match) return undefined;
  return { index: Number(match[1]), error: { type: match[2] ?? "unknown", message: match[3] ?? "" } };
}

function errorFromJob(record: JobRecord): JobError | null {
  return failedPart(record)?.error ?? null;
}

const count = (value: number): string => value.toLocaleString("en-US");
