import type { JobClass } from "@llmr/config";
import type { Attempt, PublicJob } from "../job-record.ts";
import type { DeploymentSkip } from "../select-deployment.ts";

/** Why a job moved up a tier: a judged answer (confidence, a failed check) or every try failing. */
export type EscalationCause = "low_confidence" | "quality_failed" | "fallback";

/**
 * What the processor tells the app (which logs it and counts it); packages don't log. Events that
 * report a write to the job's record (`attempt` with `recorded`, `escalated`, `finished` with
 * `transitioned`) are emitted once per write that succeeded, so a job taken up again after a
 * crash is not counted twice.
 */
export type ProcessorEvent =
  | {
      type: "started";
      jobId: string;
      tenant: string;
      tier: string;
      deployment: string;
      jobClass: JobClass;
      task: string;
      /** From the hop's enqueue to this start, on the hop's first try only (else null). */
      queueWaitMs: number | null;
    }
  | { type: "slow"; jobId: string; tenant: string; tier: string; deployment: string; elapsedMs: number }
  | {
      type: "attempt";
      jobId: string;
      tenant: string;
      jobClass: JobClass;
      task: string;
      attempt: Attempt;
      retryInMs: number | null;
      /** The attempt is in the job's record now (false: the record had moved on; nothing was written). */
      recorded: boolean;
      /** Time to first byte of the call's answer, when measured. */
      firstByteMs: number | null;
      /** A call cut off by a worker that died: its latency and usage are unknown. */
      interrupted: boolean;
    }
  | {
      type: "escalated";
      jobId: string;
      tenant: string;
      from: string;
      to: string;
      reason: string;
      cause: EscalationCause;
    }
  | {
      type: "finished";
      jobId: string;
      tenant: string;
      job: PublicJob;
      /** This run's write made the job final (false: it was final already, e.g. cancelled by the client). */
      transitioned: boolean;
      /** The job is a part of this job's map-reduce (not a job of its own: not counted as one). */
      partOf?: string;
    }
  | { type: "skipped"; jobId: string; reason: string }
  | { type: "notify_failed"; jobId: string; tenant: string; error: unknown }
  | {
      type: "waiting";
      jobId: string;
      tenant: string;
      tier: string;
      jobClass: JobClass;
      waitMs: number;
      reasons: string[];
    }
  | { type: "deployments_skipped"; tier: string; jobClass: JobClass; skips: DeploymentSkip[] }
  | { type: "breaker"; deployment: string; change: "opened" | "closed" | "half_opened" }
  | {
      type: "split";
      jobId: string;
      tenant: string;
      /** 1: the input; 2 and on: the joined summaries of the round before. */
      round: number;
      parts: number;
      /** Tokens of the text split, and the most one part's call may take. */
      inputTokens: number;
      limitTokens: number;
    };
