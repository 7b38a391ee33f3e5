import type { JobClass, ResolvedDeployment, ResolvedTask, ResolvedTier, RouterConfig } from "@llmr/config";
import type { CheckRegistry } from "@llmr/routing";
import { createCheckRegistry } from "@llmr/routing";
import { contextFromMetadata, inSpan } from "@llmr/tracing";
import type { Span } from "@opentelemetry/api";
import { SpanKind } from "@opentelemetry/api";
import type { Job } from "bullmq";
import { DelayedError, RateLimitError, UnrecoverableError, WaitingChildrenError, WaitingError } from "bullmq";
import type { BatchStore } from "./batches/batch-store.ts";
import { cancelBatchItem } from "./batches/cancel-batch-item.ts";
import { buildCompletionRequest, parseOutputJson } from "./build-completion-request.ts";
import type { CallOutcome } from "./call-provider.ts";
import { callProvider } from "./call-provider.ts";
import { attemptCostUsd } from "./cost.ts";
import { deploymentsFor } from "./deployments-for.ts";
import { RetryLaterError } from "./errors/retry-later-error.ts";
import { escalationTarget } from "./escalation-target.ts";
import { failWithoutAttempt } from "./fail-without-attempt.ts";
import type { FinishedCall } from "./hedged-call.ts";
import { runWithHedge } from "./hedged-call.ts";
import type { JobEvents, JobEventType } from "./job-events.ts";
import type { Attempt, InFlightCall, JobRecord, PublicJob } from "./job-record.ts";
import { TERMINAL_STATUSES } from "./job-record.ts";
import type { JobStore } from "./job-store.ts";
import { isRunFailure, protocolsOf, traceProcessorEvent, tracer } from "./job-tracing.ts";
import { interruptedAttempt } from "./job-transitions.ts";
import type { Judgement } from "./judge-answer.ts";
import { judgeAnswer } from "./judge-answer.ts";
import { cancelParts } from "./map-reduce/cancel-parts.ts";
import { mapReduceStep } from "./map-reduce/map-reduce-step.ts";
import { mergePart, wakeParent } from "./map-reduce/merge-part.ts";
import type { ProviderPool } from "./provider-pool.ts";
import { recordAttempt } from "./record-attempt.ts";
import { recordDispatch } from "./record-dispatch.ts";
import { retryDelayMs } from "./retry-delay.ts";
import type { DeploymentSkip, DispatchGates, Selection } from "./select-deployment.ts";
import { selectDeployment } from "./select-deployment.ts";
import type { ParentJob, TierQueues } from "./tier-queues.ts";
import { QueuePayloadSchema } from "./tier-queues.ts";

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

/**
 * Named points where a test may crash the worker on purpose (`LLMR_FAILPOINT`), to prove that
 * the step after them survives a crash.
 */
/**
 * Where a test may kill the worker on purpose (`LLMR_FAILPOINT`): right after an escalation is in
 * the record but before the next tier has the job; right after a final status is in the record but
 * before the job's webhook is queued; right after a long input's parts are stored and queued but
 * before the job's record says so (map-reduce).
 */
export type Failpoint = "after-escalation-recorded" | "after-finish-recorded" | "after-parts-queued";

export interface ProcessorDeps {
  config: RouterConfig;
  store: JobStore;
  providers: ProviderPool;
  /** Where escalated jobs are queued again. */
  queues: TierQueues;
  /** Circuit breakers and shared RPM/TPM budgets of the deployments; without them, plain rotation. */
  gates?: DispatchGates;
  /** Where the job's events go (status, attempts, slow, escalations, the final job) for streams and waits. */
  events?: JobEvents;
  onEvent?: (event: ProcessorEvent) => void;
  failpoint?: (name: Failpoint) => void;
  /**
   * Called once a job has finished (succeeded or failed) and its record is stored, e.g. to queue its
   * webhook, and again if the job's BullMQ job runs after that (a crash in between), so it must be
   * idempotent. Awaited; an error is reported as a `notify_failed` event and does not change the job.
   */
  onFinished?: (record: JobRecord) => Promise<void>;
  /**
   * True once the worker is shutting down and aborting the calls still running after its grace
   * period: such a call's job goes back to the queue (attempt recorded) instead of failing.
   */
  isShuttingDown?: () => boolean;
  /**
   * Where a batch item's batch is looked up before its call: an item of a cancelled batch is
   * cancelled without calling a provider. Without it, such an item runs until the cancel reaches it.
   */
  batches?: Pick<BatchStore, "cancelRequested">;
  now?: () => Date;
}

/**
 * The BullMQ processor of every tier queue: one run = one provider call = one attempt in the
 * job's history. The answer is judged (quality checks, confidence) and accepted, escalated to a
 * higher tier (a new BullMQ job under the same public id) or failed. Retryable call failures throw
 * `RetryLaterError` (BullMQ runs the job again, on the tier's next deployment); fatal ones and the
 * last allowed try end the job `failed`.
 */
/**
 * Longest single pause of a queue whose deployments are all out of budget; a longer wait is paused
 * in steps (each step re-asks the gates: one job fetched and one Lua call). BullMQ 6.7's
 * `Worker.close()` does not cut short a rate-limit pause that begins after it was called, so an
 * unbounded pause (a TPM window is a minute) could hold a draining worker past its grace period.
 */
const MAX_QUEUE_PAUSE_MS = 5_000;

export function createJobProcessor(deps: ProcessorDeps) {
  const now = deps.now ?? (() => new Date());
  const onEvent = deps.onEvent;
  const protocols = protocolsOf(deps.config);
  // Every event also lands on the run's trace (a no-op when the run is not traced).
  const emit = (event: ProcessorEvent) => {
    traceProcessorEvent(event, protocols);
    onEvent?.(event);
  };
  // Best effort: a lost event only delays a stream or a wait (they re-read the record), never the job.
  // Sent, not awaited: the events go out on the connection that carries the record writes after
  // them, and one job's keys share a slot, so Redis still applies them in order; waiting for each
  // reply only added a round trip per event to every job's latency.
  const publish = (jobId: string, type: JobEventType, data: unknown): void => {
    void deps.events?.publish(jobId, type, data).catch(() => undefined);
  };
  const registries = new Map<string, Promise<CheckRegistry>>();
  const registryFor = (task: ResolvedTask) => {
    let registry = registries.get(task.name);
    if (!registry) {
      registry = createCheckRegistry(task.customChecks);
      registries.set(task.name, registry);
    }
    return registry;
  };

  const run = async (job: Job, span: Span, token?: string, jobSignal?: AbortSignal): Promise<string> => {
    const payload = QueuePayloadSchema.safeParse(job.data);
    if (!payload.success) throw new UnrecoverableError(`malformed queue payload: ${payload.error.message}`);
    const jobId = payload.data.job_id;
    span.setAttributes({ "llmr.job.id": jobId, "llmr.hop": payload.data.hop });

    const stored = await deps.store.get(jobId);
    if (!stored) {
      emit({ type: "skipped", jobId, reason: "record not found (expired or deleted)" });
      return "skipped";
    }
    const { record } = stored;
    if (TERMINAL_STATUSES.has(record.job.status)) {
      // A part of a map-reduce job: make sure the job has it (cancelled parts too: their calls cost).
      if (record.part_of) await wakeParent(deps.queues, await mergePart(deps, record), record);
      // Run again after the job finished: the worker that finished it may have died before its
      // webhook was queued. `onFinished` must be idempotent, so notifying again is safe.
      if (record.job.status !== "cancelled" && deps.onFinished) {
        await deps.onFinished(record).catch((error: unknown) => {
          emit({ type: "notify_failed", jobId, tenant: record.tenant, error });
        });
      }
      emit({ type: "skipped", jobId, reason: `already ${record.job.status}` });
      return "skipped";
    }
    if (payload.data.hop < record.hop) {
      // The record moved on to a later hop (an escalation) but this BullMQ job did not finish:
      // the worker died between the two steps. Queue the current hop (a no-op when it is queued).
      await deps.queues.add(
        record.job.tier,
        record.job.class,
        { job_id: jobId, hop: record.hop },
        parentOf(job),
      );
      emit({ type: "skipped", jobId, reason: `hop ${payload.data.hop} superseded by hop ${record.hop}` });
      return "superseded";
    }
    if (payload.data.hop > record.hop) {
      emit({
        type: "skipped",
        jobId,
        reason: `hop ${payload.data.hop} is ahead of the record (${record.hop})`,
      });
      return "skipped";
    }

    const batchId = record.job.batch_id ?? record.part_of?.batch_id;
    if (batchId && (await deps.batches?.cancelRequested(batchId))) {
      // The batch's cancel reaches its items one by one (seconds for a big batch); one taken
      // before then is cancelled here, so a cancelled batch stops calling providers at once. A
      // part of an item's long input stops too, and an item summarized in parts stops its parts.
      const cancelled = await cancelBatchItem(deps, record, now());
      if (cancelled) {
        emit({
          type: "finished",
          jobId,
          tenant: record.tenant,
          job: cancelled.job,
          transitioned: true,
          ...(cancelled.part_of ? { partOf: cancelled.part_of.job_id } : {}),
        });
        if (cancelled.part_of) await wakeParent(deps.queues, await mergePart(deps, cancelled), cancelled);
        if (cancelled.map_reduce) await cancelParts(deps, cancelled);
      }
      return "skipped";
    }

    const deadlineAt = record.deadline_at ? Date.parse(record.deadline_at) : Number.POSITIVE_INFINITY;
    if (now().getTime() >= deadlineAt) {
      const seconds = deps.config.jobs.deadlineSeconds[record.job.class];
      // A batch item's deadline may be its batch's complete_by, or run from its not_before.
      const message = record.job.batch_id
        ? `the job did not finish by its deadline, ${record.deadline_at} (${seconds} s for batch jobs from when they may start, or the batch's complete_by if earlier)`
        : `the job did not finish within its deadline (${seconds} s for ${record.job.class} jobs)`;
      const failed = await failWithoutAttempt(deps, record, { type: "deadline_exceeded", message }, now());
      if (failed)
        emit({ type: "finished", jobId, tenant: record.tenant, job: failed.job, transitioned: true });
      throw new UnrecoverableError(message);
    }
    const task = findTask(deps.config, record.job.task);
    const tier = findTier(deps.config, record.job.tier);
    // A long input of a map-reduce task: its parts run as child jobs first; this job's own call
    // then combines their answers (`working` carries those messages; the stored request is kept).
    let working = record;
    if (task.mapReduce && !record.part_of) {
      const onSplit = (split: { round: number; parts: number; inputTokens: number; limitTokens: number }) =>
        emit({ type: "split", jobId, tenant: record.tenant, ...split });
      const step = await mapReduceStep({ ...deps, now, onSplit }, job, token, record, task, tier);
      if (step.kind === "waiting") throw new WaitingChildrenError();
      if (step.kind === "later") throw new DelayedError();
      if (step.kind === "failed") {
        const failed = await failWithoutAttempt(deps, record, step.error, now());
        if (failed)
          emit({ type: "finished", jobId, tenant: record.tenant, job: failed.job, transitioned: true });
        throw new UnrecoverableError(step.error.message);
      }
      if (step.kind === "reduce") working = step.record;
    }
    const deployments = deploymentsFor(tier, working.route);
    if (deployments.length === 0) {
      throw new UnrecoverableError(`tier ${tier.name} has no deployment this job can use (config changed?)`);
    }
    // Each BullMQ try of this hop starts at the tier's next deployment (the fallback within a tier),
    // skipping deployments whose breaker is open or whose shared budget is spent.
    const estimatedTokens = working.route.input_tokens + record.request.max_output_tokens;
    const jobClass = record.job.class;
    const emitAttempt = (
      attempt: Attempt,
      extra: {
        recorded: boolean;
        retryInMs?: number | null;
        firstByteMs?: number | null;
        interrupted?: boolean;
      },
    ) =>
      emit({
        type: "attempt",
        jobId,
        tenant: record.tenant,
        jobClass,
        task: record.job.task,
        attempt,
        retryInMs: extra.retryInMs ?? null,
        recorded: extra.recorded,
        firstByteMs: extra.firstByteMs ?? null,
        interrupted: extra.interrupted ?? false,
      });
    const select = async (candidates: readonly ResolvedDeployment[], startIndex: number) => {
      const chosen = await selectDeployment(deps.gates, candidates, startIndex, {
        estimatedTokens,
        klass: jobClass,
      });
      if (chosen.skips.length > 0)
        emit({ type: "deployments_skipped", tier: tier.name, jobClass, skips: chosen.skips });
      for (const id of chosen.halfOpened) emit({ type: "breaker", deployment: id, change: "half_opened" });
      return chosen;
    };
    const selection = await select(deployments, job.attemptsMade);
    if (selection.kind === "wait") {
      if (!Number.isFinite(selection.waitMs)) {
        const message = `no deployment of tier "${tier.name}" can ever take this call: ${selection.skipped.join("; ")}`;
        const failed = await failWithoutAttempt(deps, record, { type: "no_capacity", message }, now());
        if (failed)
          emit({ type: "finished", jobId, tenant: record.tenant, job: failed.job, transitioned: true });
        throw new UnrecoverableError(message);
      }
      emit({
        type: "waiting",
        jobId,
        tenant: record.tenant,
        tier: tier.name,
        jobClass,
        waitMs: selection.waitMs,
        reasons: selection.skipped,
      });
      // Every deployment is busy or cooling down: the job waits without failing or spending a try.
      // With no provider restriction every job of this queue is blocked alike, so the queue pauses;
      // a job restricted to some providers waits alone.
      if (record.route.requirements.providers === undefined) {
        await deps.queues
          .get(tier.name, record.job.class)
          .rateLimit(Math.min(selection.waitMs, MAX_QUEUE_PAUSE_MS));
        throw new RateLimitError();
      }
      await job.moveToDelayed(Date.now() + selection.waitMs, token);
      throw new DelayedError();
    }
    let deployment = selection.deployment;

    const startedAt = now();
    const inFlight: InFlightCall = {
      tier: tier.name,
      deployment: deployment.id,
      provider: deployment.provider.label,
      model: deployment.model.modelId,
      started_at: startedAt.toISOString(),
    };
    // The attempt of a call cut off by a dead worker, when this run's write is the one recording it.
    let interrupted: Attempt | undefined;
    const running = await deps.store.update(jobId, (current) => {
      interrupted = undefined;
      if (TERMINAL_STATUSES.has(current.job.status) || current.hop !== record.hop) return undefined;
      interrupted = current.in_flight
        ? interruptedAttempt(current.in_flight, current.job.attempts.length + 1, startedAt)
        : undefined;
      const attempts = interrupted ? [...current.job.attempts, interrupted] : current.job.attempts;
      return {
        ...current,
        in_flight: inFlight,
        job: {
          ...current.job,
          attempts,
          status: "running",
          started_at: current.job.started_at ?? startedAt.toISOString(),
        },
      };
    });
    const lost: Attempt | undefined = interrupted;
    if (lost) emitAttempt(lost, { recorded: true, interrupted: true });
    if (!running || TERMINAL_STATUSES.has(running.job.status) || running.hop !== record.hop) {
      // Cancelled (or moved on) between this run's first read and now: no call. A part's job
      // learns of it (its cancelled part is its to see).
      if (running?.part_of && TERMINAL_STATUSES.has(running.job.status))
        await wakeParent(deps.queues, await mergePart(deps, running), running);
      emit({ type: "skipped", jobId, reason: `${running ? running.job.status : "gone"} before its call` });
      return "skipped";
    }
    emit({
      type: "started",
      jobId,
      tenant: record.tenant,
      tier: tier.name,
      deployment: deployment.id,
      jobClass,
      task: record.job.task,
      // The hop's first try (not a retry, nor a run after a crash): the time its BullMQ job waited.
      queueWaitMs:
        job.attemptsMade === 0 && !record.in_flight ? Math.max(0, startedAt.getTime() - job.timestamp) : null,
    });
    publish(jobId, "status", {
      status: "running",
      tier: tier.name,
      deployment: deployment.id,
      // Deployments passed over for this call (breaker open, budget spent), for the job's explanation.
      ...(selection.skips.length > 0 ? { skipped: selection.skips } : {}),
    });

    const limits = tier.timeLimits[record.job.class];
    // The call never outlives the job's deadline.
    const hardMs = Math.max(
      1,
      Math.min(
        record.request.timeouts.hard_ms ?? limits.hardMs,
        limits.hardMs,
        deadlineAt - startedAt.getTime(),
      ),
    );
    const softMs = Math.min(record.request.timeouts.soft_ms ?? limits.softMs, hardMs);
    const planFor = (target: ResolvedDeployment) => {
      const built = buildCompletionRequest(working.request, task, target);
      return {
        built,
        plan: {
          deployment: target,
          run: (signal: AbortSignal) =>
            callProvider(
              deps.providers.for(target),
              target,
              built.request,
              hardMs,
              jobSignal ? AbortSignal.any([jobSignal, signal]) : signal,
            ),
        },
      };
    };
    const primary = planFor(deployment);
    const builtFor = new Map([[deployment, primary.built]]);
    let hedgeSelection: Selection | undefined;
    const raced = await runWithHedge({
      primary: primary.plan,
      softMs,
      now,
      onSoftLimit: () => {
        const elapsedMs = Date.now() - startedAt.getTime();
        emit({
          type: "slow",
          jobId,
          tenant: record.tenant,
          tier: tier.name,
          deployment: deployment.id,
          elapsedMs,
        });
        const slow = {
          tier: tier.name,
          deployment: deployment.id,
          elapsed_ms: elapsedMs,
          soft_limit_ms: softMs,
        };
        void publish(jobId, "slow", slow);
      },
      // The tier hedges: a second deployment (breaker and budget permitting) races the first.
      startHedge: tier.hedge
        ? async () => {
            const others = deployments.filter((candidate) => candidate !== deployment);
            if (others.length === 0) return undefined;
            hedgeSelection = await select(others, 0);
            if (hedgeSelection.kind !== "selected") return undefined;
            const hedge = planFor(hedgeSelection.deployment);
            builtFor.set(hedgeSelection.deployment, hedge.built);
            return hedge.plan;
          }
        : undefined,
    });
    // The job goes on with the winning call; a hedge's other call is recorded as its own attempt.
    deployment = raced.winner.deployment;
    const call: CallOutcome = raced.winner.call;
    const built = builtFor.get(deployment) ?? primary.built;
    const selectionFor = (target: ResolvedDeployment) =>
      target === selection.deployment
        ? selection
        : (hedgeSelection as Extract<Selection, { kind: "selected" }>);
    const finishedAt = raced.winner.finishedAt;
    const callStartedAt = raced.winner.startedAt;
    const shutdownAbort = !call.ok && call.outcome === "cancelled" && (deps.isShuttingDown?.() ?? false);
    if (deps.gates) {
      for (const finished of [raced.winner, raced.other]) {
        if (!finished) continue;
        const target = finished.deployment;
        for (const change of await recordDispatch(deps.gates, target, selectionFor(target), finished.call)) {
          emit({ type: "breaker", deployment: target.id, change });
        }
      }
    }

    let judgement: Judgement | undefined;
    let outputJson: unknown = null;
    const wantsJson = (record.request.response_format?.type ?? "text") !== "text";
    if (call.ok) {
      const rawJson = wantsJson ? parseOutputJson(call.result.text, false) : null;
      outputJson = wantsJson ? parseOutputJson(call.result.text, built.asksSelfReport) : null;
      judgement = await judgeAnswer({
        config: deps.config,
        task,
        tier,
        record: working,
        result: call.result,
        rawJson,
        outputJson,
        asksSelfReport: built.asksSelfReport,
        registry: await registryFor(task),
      });
    }

    const usage = call.ok
      ? { input_tokens: call.result.usage.inputTokens, output_tokens: call.result.usage.outputTokens }
      : { input_tokens: 0, output_tokens: 0 };
    const verdict = judgement?.verdict;
    const attemptsBefore = (running ?? record).job.attempts.length;
    // With a hedge, both calls are attempts, numbered in the order they started.
    const otherFirst = raced.other !== undefined && raced.other.startedAt <= callStartedAt;
    const otherAttempt = raced.other
      ? hedgeAttempt(raced.other, attemptsBefore + (otherFirst ? 1 : 2), tier, deployment)
      : undefined;
    const attempt: Attempt = {
      n: attemptsBefore + (otherFirst ? 2 : 1),
      tier: tier.name,
      provider: deployment.provider.label,
      model: call.ok ? call.result.model : deployment.model.modelId,
      deployment: deployment.id,
      outcome: call.ok ? (verdict?.outcome ?? "succeeded") : shutdownAbort ? "error" : call.outcome,
      detail: shutdownAbort
        ? "aborted: the worker shut down during the call; the job went back to the queue"
        : call.ok
          ? `answered in ${finishedAt.getTime() - callStartedAt.getTime()} ms${raced.other ? " (hedged)" : ""}; ${verdict?.detail ?? ""}`
          : call.detail,
      latency_ms: finishedAt.getTime() - callStartedAt.getTime(),
      usage,
      cost_usd: attemptCostUsd(usage, deployment.model.pricePerMTokUsd),
      confidence: judgement ? round4(judgement.confidence.value) : null,
      confidence_signal: judgement?.confidence.signal ?? null,
      confidence_detail: judgement?.confidence.detail ?? null,
      checks: judgement?.checks ?? [],
      output_text: call.ok && verdict?.kind !== "accept" ? call.result.text : null,
      started_at: callStartedAt.toISOString(),
      finished_at: finishedAt.toISOString(),
    };

    let retryInMs: number | null = null;
    const lastTry = job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
    if (!call.ok && call.retryable && !lastTry) {
      const nextDeployment = deployments[(job.attemptsMade + 1) % deployments.length];
      retryInMs = retryDelayMs({
        retriesSoFar: job.attemptsMade,
        retryAfterMs: call.retryAfterMs,
        sameDeploymentNext: nextDeployment === deployment,
      });
    }

    // Every try on this tier failed with retryable errors: fall back to the next tier up, if the
    // config allows it and the job's escalation budget and max_tier leave room.
    let fallbackTo: ResolvedTier | undefined;
    if (!call.ok && call.retryable && retryInMs === null && deps.config.jobs.fallbackToNextTier) {
      const left = task.escalation.maxEscalations - record.job.routing.escalations.length;
      fallbackTo =
        left > 0
          ? escalationTarget(deps.config, tier, record.job.routing.max_tier, record.route, "next")
          : undefined;
    }
    const escalateTo = verdict?.kind === "escalate" ? verdict.to : fallbackTo;
    const moveReason =
      verdict?.kind === "escalate"
        ? verdict.detail
        : `all ${job.attemptsMade + 1} tries on "${tier.name}" failed (last: ${call.ok ? "" : call.outcome}) → ${fallbackTo?.name}`;
    const recordOutcome = (current: JobRecord) =>
      recordAttempt(current, {
        hop: record.hop,
        attempt,
        otherAttempt,
        call,
        verdict,
        shutdownAbort,
        moveTo: escalateTo ? { tier: escalateTo, reason: moveReason } : undefined,
        retrying: retryInMs !== null,
        tier,
        deployment,
        finishedAt,
        outputJson,
      });
    // Every outcome clears the in-flight marker: the call's attempt is in the history now. What
    // this write did (attempts added, job made final) is kept from the round that was stored.
    let wrote = false;
    let transitioned = false;
    const updated = await deps.store.update(jobId, (current) => {
      const next = recordOutcome(current);
      wrote = next !== undefined;
      transitioned =
        next !== undefined &&
        TERMINAL_STATUSES.has(next.job.status) &&
        !TERMINAL_STATUSES.has(current.job.status);
      return next && { ...next, in_flight: null };
    });
    const firstByteOf = (outcome: CallOutcome) => (outcome.ok ? (outcome.result.firstByteMs ?? null) : null);
    if (otherAttempt && raced.other) {
      emitAttempt(otherAttempt, { recorded: wrote, firstByteMs: firstByteOf(raced.other.call) });
    }
    emitAttempt(attempt, { recorded: wrote, retryInMs, firstByteMs: firstByteOf(call) });
    if (updated?.job.attempts.some((a) => a.n === attempt.n && a.started_at === attempt.started_at)) {
      publish(jobId, "attempt", attempt);
    }

    if (shutdownAbort && updated?.job.status === "queued") {
      // Back to the queue without spending one of the job's tries: another worker takes it up.
      publish(jobId, "status", { status: "queued", tier: tier.name });
      await job.moveToWait(token);
      throw new WaitingError();
    }
    if (escalateTo && updated && updated.hop === record.hop + 1) {
      // Told before the queueing: the move is in the record, and a run after a crash here queues
      // the hop without moving the job again, so this is its only report.
      if (wrote)
        emit({
          type: "escalated",
          jobId,
          tenant: record.tenant,
          from: tier.name,
          to: escalateTo.name,
          reason: moveReason,
          cause: verdict?.kind === "escalate" ? verdict.outcome : "fallback",
        });
      deps.failpoint?.("after-escalation-recorded");
      await deps.queues.add(
        escalateTo.name,
        record.job.class,
        { job_id: jobId, hop: updated.hop },
        parentOf(job),
      );
      publish(jobId, "escalated", {
        from_tier: tier.name,
        to_tier: escalateTo.name,
        reason: moveReason,
      });
      publish(jobId, "status", { status: "queued", tier: escalateTo.name });
      return "escalated";
    }
    if (updated && TERMINAL_STATUSES.has(updated.job.status)) {
      emit({
        type: "finished",
        jobId,
        tenant: record.tenant,
        job: updated.job,
        transitioned,
        ...(updated.part_of ? { partOf: updated.part_of.job_id } : {}),
      });
      publish(jobId, "job", updated.job);
      if (updated.part_of) await wakeParent(deps.queues, await mergePart(deps, updated), updated);
      deps.failpoint?.("after-finish-recorded");
      if (deps.onFinished && updated.job.status !== "cancelled") {
        await deps.onFinished(updated).catch((error: unknown) => {
          emit({ type: "notify_failed", jobId, tenant: record.tenant, error });
        });
      }
    } else if (updated && retryInMs !== null) {
      publish(jobId, "status", { status: "queued", tier: tier.name, retry_in_ms: retryInMs });
    }
    if (call.ok) return verdict?.kind ?? "succeeded";
    if (retryInMs !== null) throw new RetryLaterError(retryInMs, call.detail);
    throw new UnrecoverableError(call.detail);
  };

  // One `llmr.process` span per run, continuing the trace the job was queued under (its submission,
  // or the run that escalated it), so a job's hops, retries and calls form one trace.
  return function processJob(job: Job, token?: string, jobSignal?: AbortSignal): Promise<string> {
    return inSpan(
      tracer,
      "llmr.process",
      {
        kind: SpanKind.CONSUMER,
        parent: contextFromMetadata(job.opts.telemetry?.metadata),
        attributes: {
          "messaging.system": "bullmq",
          "messaging.destination.name": job.queueName,
          "messaging.message.id": job.id ?? "",
          "llmr.bullmq.attempt": job.attemptsMade + 1,
        },
        isFailure: isRunFailure,
      },
      async (span) => {
        const outcome = await run(job, span, token, jobSignal);
        span.setAttribute("llmr.process.outcome", outcome);
        return outcome;
      },
    );
  };
}

/** A part's BullMQ job reports to its parent: a later hop of the part must, too. */
function parentOf(job: Job): ParentJob | undefined {
  return job.parent?.id ? { id: job.parent.id, queue: job.parent.queueKey } : undefined;
}

function round4(value: number): number {
  return Number(value.toFixed(4));
}

function findTier(config: RouterConfig, name: string): ResolvedTier {
  const tier = config.tiers.find((candidate) => candidate.name === name);
  if (!tier)
    throw new UnrecoverableError(`unknown tier "${name}" (config changed since the job was queued?)`);
  return tier;
}

function findTask(config: RouterConfig, name: string): ResolvedTask {
  const task = config.tasks.get(name);
  if (!task)
    throw new UnrecoverableError(`unknown task "${name}" (config changed since the job was queued?)`);
  return task;
}

/** The attempt of a hedge's other call: aborted after losing the race, or failed on its own. */
function hedgeAttempt(
  other: FinishedCall,
  n: number,
  tier: ResolvedTier,
  winner: ResolvedDeployment,
): Attempt {
  const { call, deployment } = other;
  const usage = call.ok
    ? { input_tokens: call.result.usage.inputTokens, output_tokens: call.result.usage.outputTokens }
    : { input_tokens: 0, output_tokens: 0 };
  const lost = call.ok || call.outcome === "cancelled";
  return {
    n,
    tier: tier.name,
    provider: deployment.provider.label,
    model: call.ok ? call.result.model : deployment.model.modelId,
    deployment: deployment.id,
    outcome: lost ? "cancelled" : call.outcome,
    detail: lost ? `hedged: ${winner.id} answered first, this call was aborted` : call.detail,
    latency_ms: other.finishedAt.getTime() - other.startedAt.getTime(),
    usage,
    cost_usd: attemptCostUsd(usage, deployment.model.pricePerMTokUsd),
    confidence: null,
    confidence_signal: null,
    checks: [],
    output_text: null,
    started_at: other.startedAt.toISOString(),
    finished_at: other.finishedAt.toISOString(),
  };
}
