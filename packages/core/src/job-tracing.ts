import type { RouterConfig, WireProtocol } from "@llmr/config";
import type { Attributes, Span } from "@opentelemetry/api";
import { context, SpanKind, SpanStatusCode, trace } from "@opentelemetry/api";
import { DelayedError, RateLimitError, WaitingChildrenError, WaitingError } from "bullmq";
import { RequestValidationError } from "./errors/request-validation-error.ts";
import { RetryLaterError } from "./errors/retry-later-error.ts";
import type { Attempt, AttemptOutcome, JobRecord } from "./job-record.ts";
import type { ProcessorEvent } from "./processor/processor-event.ts";

/**
 * The spans of a job's way through the router, through `@opentelemetry/api` only: like any library,
 * core never starts an SDK, so with tracing off every span here is the API's no-op span. The app
 * decides (see `@llmr/tracing`'s `startTracing`). Prompts, answers and webhook URLs are never
 * attributes; ids, tiers, models, tokens, costs and the routing reasons are.
 */
export const tracer = trace.getTracer("@llmr/core");

/** Attempt outcomes that are the call's failure (a judged answer that escalates is not). */
const FAILED_CALLS: ReadonlySet<AttemptOutcome> = new Set(["error", "timeout", "rate_limited"]);

/** The attributes of `llmr.submit`: the job and why it starts where it does. */
export function submitAttributes(record: JobRecord): Attributes {
  const { job, route } = record;
  return {
    "llmr.job.id": job.id,
    "llmr.tenant": record.tenant,
    "llmr.task": job.task,
    "llmr.class": job.class,
    "llmr.tier": job.tier,
    "llmr.max_tier": job.routing.max_tier,
    "llmr.routing.reason": job.routing.reason,
    "llmr.routing.rule": route.rule ?? "",
    "llmr.routing.matched_rules": route.matched_rules ?? [],
    "llmr.input_tokens": route.input_tokens,
  };
}

/** A client's bad request is its own mistake, not a failed submission. */
export const isSubmitFailure = (error: unknown) => !(error instanceof RequestValidationError);

/**
 * Errors a run throws to steer BullMQ, not because the job failed: retry later, wait for a
 * deployment, go back to the queue. The run's span ends without an error status.
 */
export const isRunFailure = (error: unknown) =>
  !(
    error instanceof RetryLaterError ||
    error instanceof DelayedError ||
    error instanceof RateLimitError ||
    error instanceof WaitingError ||
    error instanceof WaitingChildrenError
  );

/** Which wire protocol (OpenAI's, Anthropic's) each deployment speaks: the `gen_ai.system` of its calls. */
export function protocolsOf(config: RouterConfig): Map<string, WireProtocol> {
  return new Map(config.tiers.flatMap((tier) => tier.deployments.map((d) => [d.id, d.provider.protocol])));
}

/**
 * Puts a processor event on the trace of the run it comes from (the active `llmr.process` span):
 * each attempt becomes an `llmr.attempt` child span with the call's own start and end, its model,
 * tokens, cost, outcome and check verdicts (gen_ai semantic conventions where they exist); the
 * routing decisions (deployment chosen or passed over, waits, escalations, breakers) become events.
 * Nothing happens when the run is not traced.
 */
export function traceProcessorEvent(
  event: ProcessorEvent,
  protocols: ReadonlyMap<string, WireProtocol>,
): void {
  const span = trace.getActiveSpan();
  if (!span?.isRecording()) return;
  switch (event.type) {
    case "started":
      span.setAttributes({
        "llmr.tier": event.tier,
        "llmr.class": event.jobClass,
        "llmr.task": event.task,
        "llmr.deployment": event.deployment,
      });
      span.addEvent("llmr.dispatch", {
        "llmr.tier": event.tier,
        "llmr.deployment": event.deployment,
        ...(event.queueWaitMs === null ? {} : { "llmr.queue_wait_ms": event.queueWaitMs }),
      });
      return;
    case "attempt":
      traceAttempt(event, protocols);
      return;
    case "slow":
      span.addEvent("llmr.slow", { "llmr.deployment": event.deployment, "llmr.elapsed_ms": event.elapsedMs });
      return;
    case "escalated":
      span.addEvent("llmr.escalated", {
        "llmr.from_tier": event.from,
        "llmr.to_tier": event.to,
        "llmr.cause": event.cause,
        "llmr.reason": event.reason,
      });
      return;
    case "deployments_skipped":
      span.addEvent("llmr.deployments_skipped", {
        "llmr.tier": event.tier,
        "llmr.skips": event.skips.map((skip) => `${skip.deployment}: ${skip.reason}`),
      });
      return;
    case "waiting":
      span.addEvent("llmr.waiting", { "llmr.wait_ms": event.waitMs, "llmr.reasons": event.reasons });
      return;
    case "breaker":
      span.addEvent("llmr.breaker", { "llmr.deployment": event.deployment, "llmr.change": event.change });
      return;
    case "finished":
      span.setAttributes({ "llmr.job.status": event.job.status, "llmr.job.cost_usd": event.job.cost_usd });
      if (event.job.error) span.setAttribute("llmr.job.error_type", event.job.error.type);
      return;
    case "skipped":
      span.addEvent("llmr.skipped", { "llmr.reason": event.reason });
      return;
    case "split":
      span.addEvent("llmr.split", {
        "llmr.map_reduce.round": event.round,
        "llmr.map_reduce.parts": event.parts,
        "llmr.map_reduce.input_tokens": event.inputTokens,
        "llmr.map_reduce.limit_tokens": event.limitTokens,
      });
      return;
    case "notify_failed":
      span.addEvent("llmr.notify_failed", {
        "llmr.error": event.error instanceof Error ? event.error.message : String(event.error),
      });
      return;
  }
}

/** One provider call as a span of its own, placed after the fact from the attempt's recorded times. */
function traceAttempt(
  event: Extract<ProcessorEvent, { type: "attempt" }>,
  protocols: ReadonlyMap<string, WireProtocol>,
) {
  const { attempt } = event;
  const span: Span = tracer.startSpan(
    "llmr.attempt",
    {
      kind: SpanKind.CLIENT,
      startTime: new Date(attempt.started_at),
      attributes: {
        "llmr.job.id": event.jobId,
        ...attemptAttributes(attempt, protocols.get(attempt.deployment)),
      },
    },
    context.active(),
  );
  if (event.retryInMs !== null) span.setAttribute("llmr.retry_in_ms", event.retryInMs);
  if (event.firstByteMs !== null) span.setAttribute("llmr.first_byte_ms", event.firstByteMs);
  if (event.interrupted) span.setAttribute("llmr.interrupted", true);
  const finishedAt = new Date(attempt.finished_at);
  for (const check of attempt.checks) {
    span.addEvent(
      "llmr.check",
      { "llmr.check.name": check.name, "llmr.check.passed": check.passed, "llmr.check.reason": check.reason },
      finishedAt,
    );
  }
  if (FAILED_CALLS.has(attempt.outcome))
    span.setStatus({ code: SpanStatusCode.ERROR, message: attempt.detail });
  span.end(finishedAt);
}

function attemptAttributes(attempt: Attempt, protocol: WireProtocol | undefined): Attributes {
  return {
    "gen_ai.operation.name": "chat",
    // The vendor whose API the call spoke; `llmr.provider` says which configured provider (or the simulator).
    "gen_ai.system": protocol ?? attempt.provider,
    "gen_ai.provider.name": protocol ?? attempt.provider,
    "gen_ai.request.model": attempt.model,
    "gen_ai.response.model": attempt.model,
    "gen_ai.usage.input_tokens": attempt.usage.input_tokens,
    "gen_ai.usage.output_tokens": attempt.usage.output_tokens,
    "llmr.attempt.n": attempt.n,
    "llmr.attempt.outcome": attempt.outcome,
    "llmr.attempt.detail": attempt.detail,
    "llmr.provider": attempt.provider,
    "llmr.tier": attempt.tier,
    "llmr.deployment": attempt.deployment,
    "llmr.cost_usd": attempt.cost_usd,
    "llmr.latency_ms": attempt.latency_ms,
    ...(attempt.confidence === null
      ? {}
      : { "llmr.confidence": attempt.confidence, "llmr.confidence_signal": attempt.confidence_signal ?? "" }),
  };
}
