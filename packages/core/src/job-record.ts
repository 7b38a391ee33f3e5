import type { JobClass } from "@llmr/config";
import type { RouteRequirements } from "@llmr/routing";
import type { ChatMessage, ResponseFormat } from "./job-request.ts";

/** The public job object of the HTTP contract (`GET /v1/jobs/{id}`). Field names are the contract's. */

export type JobStatus = "queued" | "running" | "succeeded" | "failed" | "cancelled";
export const TERMINAL_STATUSES: ReadonlySet<JobStatus> = new Set(["succeeded", "failed", "cancelled"]);

export type AttemptOutcome =
  | "succeeded"
  | "low_confidence"
  | "quality_failed"
  | "error"
  | "timeout"
  | "rate_limited"
  | "cancelled";

export interface Usage {
  input_tokens: number;
  output_tokens: number;
}

/** One quality check's verdict on an answer. */
export interface CheckVerdict {
  name: string;
  passed: boolean;
  reason: string;
}

export interface Attempt {
  n: number;
  tier: string;
  provider: string;
  model: string;
  /** Which deployment of the tier (`<tier>/<model name>`), for operators. */
  deployment: string;
  outcome: AttemptOutcome;
  detail: string;
  latency_ms: number;
  usage: Usage;
  cost_usd: number;
  /** The answer's confidence in [0, 1] and the signal it came from; null when the call gave no answer. */
  confidence: number | null;
  confidence_signal: string | null;
  /**
   * What drove the confidence, in words (`1 hedging phrase: "I think"`, `the answer reports
   * confidence 0.42`). Absent on attempts recorded before it existed and on calls without an answer.
   */
  confidence_detail?: string | null;
  /** Every quality check run on the answer, passed or not (empty when the call gave no answer). */
  checks: CheckVerdict[];
  /** The answer itself when it was not accepted (low confidence, failed check), so the history keeps it. */
  output_text: string | null;
  started_at: string;
  finished_at: string;
  /**
   * Extension: the attempt was made for one part of a long input (map-reduce); absent on the
   * job's own calls. `round` 1 is the input's parts, round 2 the parts of their summaries, ...
   */
  chunk?: ChunkLabel;
}

/** Which part of a map-reduce job an attempt worked on (1-based). */
export interface ChunkLabel {
  round: number;
  index: number;
  total: number;
}

/**
 * Extension: how far a map-reduce job is. `map`: its parts are being summarized (`chunks_done` of
 * `chunks_total` in round `round`); `reduce`: one last call combines their answers.
 */
export interface JobProgress {
  phase: "map" | "reduce";
  round: number;
  chunks_done: number;
  chunks_total: number;
}

/** A move of the job to another tier, and why. */
export interface Escalation {
  from_tier: string;
  to_tier: string;
  reason: string;
  at: string;
}

export interface JobResult {
  output_text: string;
  output_json: unknown;
  provider: string;
  model: string;
  tier: string;
  finish_reason: string;
  confidence: number | null;
  /** Which signal the confidence came from (`logprobs`, or null when none was available). */
  confidence_signal: string | null;
  usage: Usage;
}

export interface JobError {
  type: string;
  message: string;
}

export interface PublicJob {
  id: string;
  object: "job";
  status: JobStatus;
  class: JobClass;
  task: string;
  tier: string;
  routing: {
    initial_tier: string;
    max_tier: string;
    /** The rule or default that chose the starting tier, in words. */
    reason: string;
    /** Every escalation so far, oldest first. */
    escalations: Escalation[];
  };
  result: JobResult | null;
  attempts: Attempt[];
  cost_usd: number;
  error: JobError | null;
  metadata: Record<string, string>;
  batch_id: string | null;
  /** Extension: a long input summarized in parts (map-reduce) shows how far it is; absent otherwise. */
  progress?: JobProgress;
  created_at: string;
  started_at: string | null;
  finished_at: string | null;
}

/** What the worker needs to run the job: the request after validation and defaults. */
export interface NormalizedRequest {
  messages: ChatMessage[];
  response_format: ResponseFormat | undefined;
  max_output_tokens: number;
  temperature: number | undefined;
  timeouts: { soft_ms: number | undefined; hard_ms: number | undefined };
  webhook_url: string | undefined;
}

/** Where the job may go, decided at submission (rules, request, capabilities). */
export interface RouteConstraints {
  /** What a deployment must offer (JSON mode, context window, allowed providers): see `@llmr/routing`. */
  requirements: RouteRequirements;
  input_tokens: number;
  /** The rule that chose the starting tier (null: the task's default or a pinned tier). Absent on older records. */
  rule?: string | null;
  /** Every rule whose conditions held, in config order. Absent on older records. */
  matched_rules?: string[];
}

/** The stored record: the public job plus what only the router sees. */
export interface JobRecord {
  job: PublicJob;
  /** The API key name that owns the job; other tenants get 404. */
  tenant: string;
  request: NormalizedRequest;
  route: RouteConstraints;
  /**
   * How many times the job has been queued (1 = its first tier). The BullMQ job of hop n is
   * `<id>.<n>`; a BullMQ job whose hop is behind the record's is a leftover and only makes sure
   * the current hop is queued.
   */
  hop: number;
  /**
   * The call under way, written when it starts and cleared when its attempt is recorded. Found set
   * by the next run, it means the worker died mid-call: that run records the lost attempt first.
   */
  in_flight?: InFlightCall | null;
  /** After this the job fails `deadline_exceeded` (`jobs.deadline_s` of its class, from submission). */
  deadline_at?: string;
  /** A long input summarized in parts: the parts of the current round and their answers so far. */
  map_reduce?: MapReduceState;
  /** This record is one part of another job's map-reduce (never shown to tenants on its own). */
  part_of?: PartOf;
}

export interface MapReduceState {
  phase: "map" | "reduce";
  /** 1: the input's parts; 2: parts of the joined answers of round 1; ... */
  round: number;
  /** Index of the message that was split (the longest user message). */
  material: number;
  /** Each part of this round: its record id and the span of the round's text it covers. */
  parts: Array<{ id: string; start: number; end: number; tokens: number }>;
  /** Each part's accepted answer (null until it succeeded). */
  outputs: Array<string | null>;
  /** Part records (every round) whose attempts are in this job's history already. */
  merged: string[];
  /** Each round's split as it was made (absent on records from before it was kept). */
  rounds?: Array<{ round: number; parts: number; input_tokens: number; limit_tokens: number; at: string }>;
}

export interface PartOf {
  job_id: string;
  /** The job's batch (a part has none of its own, so it is not counted in it): a cancelled batch stops its parts too. Absent on older parts. */
  batch_id?: string | null;
  round: number;
  /** 1-based. */
  index: number;
  total: number;
}

export interface InFlightCall {
  tier: string;
  deployment: string;
  provider: string;
  model: string;
  started_at: string;
}
