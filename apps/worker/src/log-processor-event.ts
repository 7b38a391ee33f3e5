import type { ProcessorEvent } from "@llmr/core";
import type { Logger } from "./logger.ts";

/** One log line per processor event, every one carrying the job id and tenant. */
export function logProcessorEvent(logger: Logger, event: ProcessorEvent): void {
  switch (event.type) {
    case "started":
      logger.debug(
        { job_id: event.jobId, tenant: event.tenant, tier: event.tier, deployment: event.deployment },
        "attempt started",
      );
      return;
    case "slow":
      logger.warn(
        {
          job_id: event.jobId,
          tenant: event.tenant,
          deployment: event.deployment,
          elapsed_ms: event.elapsedMs,
        },
        "call passed its soft time limit",
      );
      return;
    case "attempt": {
      const { attempt } = event;
      const fields = {
        job_id: event.jobId,
        tenant: event.tenant,
        n: attempt.n,
        tier: attempt.tier,
        provider: attempt.provider,
        model: attempt.model,
        outcome: attempt.outcome,
        latency_ms: attempt.latency_ms,
        usage: attempt.usage,
        cost_usd: attempt.cost_usd,
        retry_in_ms: event.retryInMs,
      };
      if (attempt.outcome === "succeeded") logger.info(fields, `attempt ${attempt.n} succeeded`);
      else logger.warn(fields, `attempt ${attempt.n} ${attempt.outcome}: ${attempt.detail}`);
      return;
    }
    case "escalated":
      logger.info(
        { job_id: event.jobId, tenant: event.tenant, from: event.from, to: event.to },
        `job escalated ${event.from} → ${event.to}: ${event.reason}`,
      );
      return;
    case "finished":
      logger.info(
        {
          job_id: event.jobId,
          tenant: event.tenant,
          status: event.job.status,
          cost_usd: event.job.cost_usd,
          error: event.job.error,
          ...(event.partOf ? { part_of: event.partOf } : {}),
        },
        event.partOf ? `part ${event.job.status}` : `job ${event.job.status}`,
      );
      return;
    case "notify_failed":
      logger.error(
        { job_id: event.jobId, tenant: event.tenant, err: event.error },
        "could not queue the job's webhook",
      );
      return;
    case "waiting":
      logger.info(
        {
          job_id: event.jobId,
          tenant: event.tenant,
          tier: event.tier,
          wait_ms: event.waitMs,
          reasons: event.reasons,
        },
        `no deployment of ${event.tier} can take the call now: waiting ${event.waitMs} ms`,
      );
      return;
    case "breaker":
      logger.warn(
        { deployment: event.deployment, change: event.change },
        `circuit breaker ${event.change}: ${event.deployment}`,
      );
      return;
    case "skipped":
      logger.info({ job_id: event.jobId }, `job skipped: ${event.reason}`);
      return;
    case "split":
      logger.info(
        {
          job_id: event.jobId,
          tenant: event.tenant,
          round: event.round,
          parts: event.parts,
          input_tokens: event.inputTokens,
          limit_tokens: event.limitTokens,
        },
        event.round === 1
          ? `long input (${event.inputTokens} tokens > ${event.limitTokens}): summarizing it in ${event.parts} parts`
          : `the parts' summaries (${event.inputTokens} tokens) are still over ${event.limitTokens}: round ${event.round} in ${event.parts} parts`,
      );
      return;
    case "deployments_skipped":
      logger.debug(
        { tier: event.tier, class: event.jobClass, skips: event.skips },
        `passed over: ${event.skips.map((skip) => `${skip.deployment} (${skip.reason})`).join(", ")}`,
      );
      return;
  }
}
