import type { RouterConfig } from "@llmr/config";
import type { ProcessorEvent } from "@llmr/core";
import { errorTypeLabel } from "./job-metrics.ts";
import type { WorkerMetrics } from "./worker-metrics.ts";

type EventOf<T extends ProcessorEvent["type"]> = Extract<ProcessorEvent, { type: T }>;

/** A model the config does not know (it changed since the job ran): one bounded label value. */
const UNKNOWN_MODEL = "unknown";

/**
 * Turns the job processor's events into metric updates. Labels are taken from the config (tiers,
 * models, tasks, deployments), from bounded enums (outcomes, causes, reasons) and from the API key's
 * name, never from ids, texts or secrets: the model label is the configured model id of the
 * attempt's deployment, not the (vendor-chosen) model name the answer reported.
 *
 * Attempts, tokens and cost are counted when the attempt is written to the job's record, final
 * statuses when this worker's write made the job final, so the sums match the job objects even
 * when a job is taken up again after a worker crashed.
 */
export function createProcessorEventObserver(
  metrics: WorkerMetrics,
  config: Pick<RouterConfig, "tiers">,
): (event: ProcessorEvent) => void {
  const modelOf = new Map<string, string>();
  for (const tier of config.tiers)
    for (const deployment of tier.deployments) modelOf.set(deployment.id, deployment.model.modelId);

  const onAttempt = (event: EventOf<"attempt">) => {
    const { attempt } = event;
    const model = modelOf.get(attempt.deployment) ?? UNKNOWN_MODEL;
    const where = { tier: attempt.tier, provider: attempt.provider, model };
    // The provider's latency is real whether or not the record took the attempt.
    if (!event.interrupted) metrics.providerDuration.observe(where, attempt.latency_ms / 1000);
    if (event.firstByteMs !== null) metrics.providerFirstByte.observe(where, event.firstByteMs / 1000);
    if (!event.recorded) return;
    metrics.attempts.inc({ ...where, outcome: attempt.outcome });
    const spend = { tier: attempt.tier, model, api_key: event.tenant };
    metrics.tokens.inc({ ...spend, direction: "input" }, attempt.usage.input_tokens);
    metrics.tokens.inc({ ...spend, direction: "output" }, attempt.usage.output_tokens);
    metrics.cost.inc(spend, attempt.cost_usd);
    for (const check of attempt.checks) {
      if (!check.passed) metrics.checkFailures.inc({ task: event.task, check: check.name });
    }
  };

  return (event) => {
    switch (event.type) {
      case "attempt":
        onAttempt(event);
        return;
      case "finished":
        // A map-reduce part is not a job of its own: its calls count as attempts, the job once.
        if (!event.transitioned || event.partOf) return;
        metrics.jobsFinished.inc({
          class: event.job.class,
          task: event.job.task,
          tier: event.job.tier,
          status: event.job.status,
          error_type: errorTypeLabel(event.job.error),
        });
        return;
      case "escalated":
        metrics.escalations.inc({ from_tier: event.from, to_tier: event.to, cause: event.cause });
        return;
      case "started":
        if (event.queueWaitMs !== null)
          metrics.queueWait.observe({ tier: event.tier, class: event.jobClass }, event.queueWaitMs / 1000);
        return;
      case "waiting":
        metrics.rateLimitWait.observe({ tier: event.tier, class: event.jobClass }, event.waitMs / 1000);
        return;
      case "deployments_skipped":
        for (const skip of event.skips)
          metrics.deploymentSkips.inc({ deployment: skip.deployment, reason: skip.reason });
        return;
      case "breaker":
        metrics.breakerTransitions.inc({ deployment: event.deployment, to: event.change });
        return;
      default:
        // slow, skipped, notify_failed: logged by the app, not counted.
        return;
    }
  };
}
