/**
 * The harness's HTTP client of the router: submits jobs (`POST /v1/jobs`) with a bounded number in
 * flight and polls each (`GET /v1/jobs/{id}`) until it is finished. It reads only the public job
 * object, validated here with the fields the evaluation uses, so a change of the contract shows up
 * as a named error rather than as wrong numbers.
 */
import { setTimeout as sleep } from "node:timers/promises";
import { z } from "zod";
import { EvaluationError } from "./evaluation-error.ts";
import type { ChatMessage } from "./replay-dataset.ts";

const Usage = z.looseObject({ input_tokens: z.number(), output_tokens: z.number() });

const AttemptSchema = z.looseObject({
  n: z.number(),
  tier: z.string(),
  model: z.string(),
  outcome: z.string(),
  detail: z.string().optional(),
  latency_ms: z.number(),
  cost_usd: z.number(),
  /** Not (yet) in the contract's attempt: read when the router records it. */
  confidence: z.number().nullable().optional(),
  confidence_signal: z.string().nullable().optional(),
});

export const FinishedJobSchema = z.looseObject({
  id: z.string(),
  status: z.enum(["succeeded", "failed", "cancelled"]),
  tier: z.string(),
  routing: z.looseObject({ initial_tier: z.string() }),
  result: z
    .looseObject({
      output_text: z.string(),
      model: z.string(),
      tier: z.string(),
      confidence: z.number().nullable().optional(),
      confidence_signal: z.string().nullable().optional(),
      usage: Usage.optional(),
    })
    .nullable(),
  attempts: z.array(AttemptSchema),
  cost_usd: z.number(),
  error: z.looseObject({ type: z.string(), message: z.string() }).nullable(),
  created_at: z.string(),
  finished_at: z.string(),
});

export type FinishedJob = z.infer<typeof FinishedJobSchema>;
export type JobAttempt = z.infer<typeof AttemptSchema>;

/** The body of `POST /v1/jobs` the harness sends. */
export interface JobSubmission {
  messages: ChatMessage[];
  task: string;
  tier?: string;
  max_tier?: string;
}

export interface RouterClient {
  apiUrl: string;
  apiKey: string;
  /** Called while waiting; throws when a router process died, so nothing waits forever. */
  assertAlive?: () => void;
}

export interface RunJobsOptions {
  /** Jobs in flight at once. */
  concurrency: number;
  /** Most time one job may take from submission to finished. @defaultValue 120000 */
  jobTimeoutMs?: number;
  /** Called after each finished job (for progress). */
  onFinished?: (done: number, total: number) => void;
}

const terminal = new Set(["succeeded", "failed", "cancelled"]);
/** Polling starts fast (answers take milliseconds at latency scale 0) and backs off to this. */
const firstPollMs = 5;
const maxPollMs = 200;
/** Submissions refused with 429/503 are retried this often, after `Retry-After` (or this long). */
const maxSubmitRetries = 20;
/** Longest a single long-poll holds (the API allows up to 60 s). */
const longPollS = 20;
const defaultRetryAfterMs = 250;

/** Submits every job and returns them finished, in the order given. */
export async function runJobs(
  client: RouterClient,
  submissions: readonly JobSubmission[],
  options: RunJobsOptions,
): Promise<FinishedJob[]> {
  const results: FinishedJob[] = new Array(submissions.length);
  let next = 0;
  let done = 0;
  const lane = async () => {
    for (;;) {
      const index = next++;
      const submission = submissions[index];
      if (submission === undefined) return;
      const id = await submitJob(client, submission);
      results[index] = await waitForJob(client, id, options.jobTimeoutMs ?? 120_000);
      options.onFinished?.(++done, submissions.length);
    }
  };
  const lanes = Math.max(1, Math.min(options.concurrency, submissions.length));
  await Promise.all(Array.from({ length: lanes }, lane));
  return results;
}

export async function submitJob(client: RouterClient, submission: JobSubmission): Promise<string> {
  for (let attempt = 0; ; attempt++) {
    const res = await fetch(`${client.apiUrl}/v1/jobs`, {
      method: "POST",
      headers: { authorization: `Bearer ${client.apiKey}`, "content-type": "application/json" },
      body: JSON.stringify(submission),
    });
    const body: unknown = await res.json().catch(() => undefined);
    if (res.status === 202) {
      const parsed = z.looseObject({ id: z.string() }).safeParse(body);
      if (parsed.success) return parsed.data.id;
      throw new EvaluationError(`POST /v1/jobs answered 202 without a job id: ${JSON.stringify(body)}`);
    }
    if ((res.status === 429 || res.status === 503) && attempt < maxSubmitRetries) {
      const retryAfterS = Number(res.headers.get("retry-after"));
      await sleep(Number.isFinite(retryAfterS) && retryAfterS > 0 ? retryAfterS * 1000 : defaultRetryAfterMs);
      continue;
    }
    throw new EvaluationError(`POST /v1/jobs answered ${res.status}: ${JSON.stringify(body)}`);
  }
}

export async function waitForJob(client: RouterClient, id: string, timeoutMs: number): Promise<FinishedJob> {
  const deadline = Date.now() + timeoutMs;
  let pollMs = firstPollMs;
  for (;;) {
    // Long-poll: the API answers as soon as the job finishes (or after `wait` seconds).
    const waitS = Math.max(0, Math.min(longPollS, Math.ceil((deadline - Date.now()) / 1000)));
    const res = await fetch(`${client.apiUrl}/v1/jobs/${id}?wait=${waitS}`, {
      headers: { authorization: `Bearer ${client.apiKey}` },
    });
    const body: unknown = await res.json().catch(() => undefined);
    if (res.status === 429 || res.status === 503) {
      const retryAfterS = Number(res.headers.get("retry-after"));
      await sleep(Number.isFinite(retryAfterS) && retryAfterS > 0 ? retryAfterS * 1000 : defaultRetryAfterMs);
      continue;
    }
    if (!res.ok)
      throw new EvaluationError(`GET /v1/jobs/${id} answered ${res.status}: ${JSON.stringify(body)}`);
    const status = z.looseObject({ status: z.string() }).safeParse(body);
    if (status.success && terminal.has(status.data.status)) {
      const job = FinishedJobSchema.safeParse(body);
      if (!job.success) {
        const issue = job.error.issues[0];
        throw new EvaluationError(
          `job ${id}: the job object lacks what the evaluation reads (${issue?.path.join(".")}: ${issue?.message})`,
          { cause: job.error },
        );
      }
      return job.data;
    }
    if (Date.now() > deadline) throw new EvaluationError(`job ${id} not finished after ${timeoutMs} ms`);
    client.assertAlive?.();
    await sleep(pollMs);
    pollMs = Math.min(maxPollMs, pollMs * 1.5);
  }
}
