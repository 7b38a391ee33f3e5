import type { ResolvedDeployment, ResolvedTier, RouterConfig } from "@llmr/config";
import type { CompletionRequest, CompletionResult } from "@llmr/providers";
import { FatalProviderError, ProviderAbortedError, RetryableProviderError } from "@llmr/providers";
import type { Job } from "bullmq";
import { UnrecoverableError } from "bullmq";
import { computeConfidence } from "./confidence.ts";
import { attemptCostUsd, sumCostUsd } from "./cost.ts";
import { RetryLaterError } from "./errors/retry-later-error.ts";
import type { Attempt, AttemptOutcome, JobRecord, PublicJob } from "./job-record.ts";
import { TERMINAL_STATUSES } from "./job-record.ts";
import type { JobStore } from "./job-store.ts";
import type { ProviderPool } from "./provider-pool.ts";
import { retryDelayMs } from "./retry-delay.ts";
import { QueuePayloadSchema } from "./tier-queues.ts";

/** What the processor tells the app (which logs it); packages don't log. */
export type ProcessorEvent =
  | { type: "started"; jobId: string; tenant: string; tier: string; deployment: string }
  | { type: "slow"; jobId: string; tenant: string; tier: string; deployment: string; elapsedMs: number }
  | { type: "attempt"; jobId: string; tenant: string; attempt: Attempt; retryInMs: number | null }
  | { type: "finished"; jobId: string; tenant: string; job: PublicJob }
  | { type: "skipped"; jobId: string; reason: string };

export interface ProcessorDeps {
  config: RouterConfig;
  store: JobStore;
  providers: ProviderPool;
  onEvent?: (event: ProcessorEvent) => void;
  now?: () => Date;
}

/** How one call ended, before it becomes an attempt in the history. */
type CallOutcome =
  | { ok: true; result: CompletionResult }
  | {
      ok: false;
      outcome: AttemptOutcome;
      detail: string;
      retryable: boolean;
      retryAfterMs: number | undefined;
    };

/**
 * The BullMQ processor of every tier queue: one run = one provider call = one attempt in the job's
 * history. Retryable failures throw `RetryLaterError` (BullMQ runs the job again, on the tier's next
 * deployment); fatal ones and the last allowed try end the job `failed` with the reason.
 */
export function createJobProcessor(deps: ProcessorDeps) {
  const now = deps.now ?? (() => new Date());
  const emit = deps.onEvent ?? (() => undefined);

  return async function processJob(job: Job, _token?: string, jobSignal?: AbortSignal): Promise<string> {
    const payload = QueuePayloadSchema.safeParse(job.data);
    if (!payload.success) throw new UnrecoverableError(`malformed queue payload: ${payload.error.message}`);
    const jobId = payload.data.job_id;

    const stored = await deps.store.get(jobId);
    if (!stored) {
      emit({ type: "skipped", jobId, reason: "record not found (expired or deleted)" });
      return "skipped";
    }
    const { record } = stored;
    if (TERMINAL_STATUSES.has(record.job.status)) {
      emit({ type: "skipped", jobId, reason: `already ${record.job.status}` });
      return "skipped";
    }
    const tier = findTier(deps.config, record.job.tier);
    if (tier.deployments.length === 0) throw new UnrecoverableError(`tier ${tier.name} has no deployments`);
    // Each BullMQ try of this hop moves to the tier's next deployment: the fallback within a tier.
    const deployment = tier.deployments[job.attemptsMade % tier.deployments.length] as ResolvedDeployment;

    const startedAt = now();
    await deps.store.update(jobId, (current) =>
      TERMINAL_STATUSES.has(current.job.status)
        ? undefined
        : {
            ...current,
            job: {
              ...current.job,
              status: "running",
              started_at: current.job.started_at ?? startedAt.toISOString(),
            },
          },
    );
    emit({ type: "started", jobId, tenant: record.tenant, tier: tier.name, deployment: deployment.id });

    const limits = tier.timeLimits[record.job.class];
    const hardMs = Math.min(record.request.timeouts.hard_ms ?? limits.hardMs, limits.hardMs);
    const softMs = Math.min(record.request.timeouts.soft_ms ?? limits.softMs, hardMs);
    const softTimer = setTimeout(
      () =>
        emit({
          type: "slow",
          jobId,
          tenant: record.tenant,
          tier: tier.name,
          deployment: deployment.id,
          elapsedMs: Date.now() - startedAt.getTime(),
        }),
      softMs,
    );
    const call = await callProvider(deps, deployment, record, hardMs, jobSignal).finally(() =>
      clearTimeout(softTimer),
    );
    const finishedAt = now();

    const usage = call.ok
      ? { input_tokens: call.result.usage.inputTokens, output_tokens: call.result.usage.outputTokens }
      : { input_tokens: 0, output_tokens: 0 };
    const attemptsMax = job.opts.attempts ?? 1;
    const lastTry = job.attemptsMade + 1 >= attemptsMax;
    const attempt: Attempt = {
      n: record.job.attempts.length + 1,
      tier: tier.name,
      provider: deployment.provider.label,
      model: call.ok ? call.result.model : deployment.model.modelId,
      deployment: deployment.id,
      outcome: call.ok ? "succeeded" : call.outcome,
      detail: call.ok
        ? `answered in ${finishedAt.getTime() - startedAt.getTime()} ms (finish_reason ${call.result.rawFinishReason})`
        : call.detail,
      latency_ms: finishedAt.getTime() - startedAt.getTime(),
      usage,
      cost_usd: attemptCostUsd(usage, deployment.model.pricePerMTokUsd),
      started_at: startedAt.toISOString(),
      finished_at: finishedAt.toISOString(),
    };

    let retryInMs: number | null = null;
    if (!call.ok && call.retryable && !lastTry) {
      const nextDeployment = tier.deployments[(job.attemptsMade + 1) % tier.deployments.length];
      retryInMs = retryDelayMs({
        retriesSoFar: job.attemptsMade,
        retryAfterMs: call.retryAfterMs,
        sameDeploymentNext: nextDeployment === deployment,
      });
    }

    const updated = await deps.store.update(jobId, (current) => {
      if (TERMINAL_STATUSES.has(current.job.status)) return undefined; // cancelled meanwhile: keep it
      const attempts = [...current.job.attempts, attempt];
      const base = {
        ...current.job,
        attempts,
        tier: tier.name,
        cost_usd: sumCostUsd(attempts.map((a) => a.cost_usd)),
      };
      if (call.ok) {
        const format = current.request.response_format?.type ?? "text";
        const job = succeededJob(base, call.result, tier, deployment, finishedAt, format !== "text");
        return { ...current, job };
      }
      if (retryInMs !== null) return { ...current, job: { ...base, status: "queued" } };
      const error = call.retryable
        ? {
            type: "attempts_exhausted",
            message: `all ${attempts.length} attempts failed; last: ${call.detail}`,
          }
        : { type: "provider_error", message: call.detail };
      return { ...current, job: { ...base, status: "failed", error, finished_at: finishedAt.toISOString() } };
    });

    emit({ type: "attempt", jobId, tenant: record.tenant, attempt, retryInMs });
    if (updated && TERMINAL_STATUSES.has(updated.job.status)) {
      emit({ type: "finished", jobId, tenant: record.tenant, job: updated.job });
    }
    if (call.ok) return "succeeded";
    if (retryInMs !== null) throw new RetryLaterError(retryInMs, call.detail);
    throw new UnrecoverableError(call.detail);
  };
}

async function callProvider(
  deps: ProcessorDeps,
  deployment: ResolvedDeployment,
  record: JobRecord,
  hardMs: number,
  jobSignal: AbortSignal | undefined,
): Promise<CallOutcome> {
  const hardTimeout = AbortSignal.timeout(hardMs);
  const signal = jobSignal ? AbortSignal.any([hardTimeout, jobSignal]) : hardTimeout;
  const maxOutput = deployment.model.maxOutputTokens;
  const request: CompletionRequest = {
    model: deployment.model.modelId,
    messages: record.request.messages,
    maxOutputTokens: maxOutput
      ? Math.min(maxOutput, record.request.max_output_tokens)
      : record.request.max_output_tokens,
    ...(record.request.temperature === undefined ? {} : { temperature: record.request.temperature }),
    ...(record.request.response_format === undefined
      ? {}
      : { responseFormat: record.request.response_format }),
    logprobs: deployment.model.capabilities.logprobs,
  };
  try {
    return { ok: true, result: await deps.providers.for(deployment).complete(request, { signal }) };
  } catch (error) {
    if (error instanceof ProviderAbortedError && hardTimeout.aborted) {
      return {
        ok: false,
        outcome: "timeout",
        detail: `no answer within the hard limit of ${hardMs} ms`,
        retryable: true,
        retryAfterMs: undefined,
      };
    }
    if (error instanceof ProviderAbortedError) {
      return {
        ok: false,
        outcome: "cancelled",
        detail: "the call was cancelled",
        retryable: false,
        retryAfterMs: undefined,
      };
    }
    if (error instanceof RetryableProviderError) {
      return {
        ok: false,
        outcome: error.reason === "rate_limited" ? "rate_limited" : "error",
        detail: error.message,
        retryable: true,
        retryAfterMs: error.retryAfterMs,
      };
    }
    if (error instanceof FatalProviderError) {
      return {
        ok: false,
        outcome: "error",
        detail: error.message,
        retryable: false,
        retryAfterMs: undefined,
      };
    }
    // Not a provider answer at all (a bug, or an error the adapter did not classify): retry, bounded.
    const message = error instanceof Error ? error.message : String(error);
    return {
      ok: false,
      outcome: "error",
      detail: `unexpected error: ${message}`,
      retryable: true,
      retryAfterMs: undefined,
    };
  }
}

function succeededJob(
  job: PublicJob,
  result: CompletionResult,
  tier: ResolvedTier,
  deployment: ResolvedDeployment,
  finishedAt: Date,
  wantsJson: boolean,
): PublicJob {
  const confidence = computeConfidence(result.logprobs);
  return {
    ...job,
    status: "succeeded",
    finished_at: finishedAt.toISOString(),
    error: null,
    result: {
      output_text: result.text,
      output_json: wantsJson ? parseJsonOutput(result.text) : null,
      provider: deployment.provider.label,
      model: result.model,
      tier: tier.name,
      finish_reason: result.finishReason,
      confidence: confidence.value,
      confidence_signal: confidence.signal,
      usage: { input_tokens: result.usage.inputTokens, output_tokens: result.usage.outputTokens },
    },
  };
}

/** The parsed answer when it parses; null otherwise (the quality checks will judge that). */
function parseJsonOutput(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

function findTier(config: RouterConfig, name: string): ResolvedTier {
  const tier = config.tiers.find((candidate) => candidate.name === name);
  if (!tier)
    throw new UnrecoverableError(`unknown tier "${name}" (config changed since the job was queued?)`);
  return tier;
}
