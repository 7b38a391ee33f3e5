import type { ResolvedTask } from "@llmr/config";
import type { CheckRegistry } from "@llmr/routing";
import { createCheckRegistry } from "@llmr/routing";
import type { JobEventType } from "../job-events.ts";
import type { Attempt, JobRecord } from "../job-record.ts";
import { protocolsOf, traceProcessorEvent } from "../job-tracing.ts";
import type { ProcessorDeps } from "./processor-deps.ts";
import type { ProcessorEvent } from "./processor-event.ts";

/** What every step of a run shares: the processor's deps, its clock, and where a run's news goes. */
export interface ProcessorContext {
  deps: ProcessorDeps;
  now: () => Date;
  /** Tells the app (`onEvent`) and the run's trace. */
  emit: (event: ProcessorEvent) => void;
  /** Adds to a job's event stream; sent, not awaited, and never fails the run. */
  publish: (jobId: string, type: JobEventType, data: unknown) => void;
  /** A task's quality checks, loaded once per task and process. */
  registryFor: (task: ResolvedTask) => Promise<CheckRegistry>;
}

/** Builds the context one processor's runs share (once per `createJobProcessor`). */
export function createProcessorContext(deps: ProcessorDeps): ProcessorContext {
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
  return { deps, now, emit, publish, registryFor };
}

/** The `finished` event of a write that made `record` final; a map-reduce part is told as a part. */
export function finishedEvent(jobId: string, record: JobRecord, transitioned: boolean): ProcessorEvent {
  return {
    type: "finished",
    jobId,
    tenant: record.tenant,
    job: record.job,
    transitioned,
    ...(record.part_of ? { partOf: record.part_of.job_id } : {}),
  };
}

/** Reports an attempt of the job's history to the app (once per write that recorded it). */
export function emitAttempt(
  ctx: ProcessorContext,
  jobId: string,
  record: JobRecord,
  attempt: Attempt,
  extra: {
    recorded: boolean;
    retryInMs?: number | null;
    firstByteMs?: number | null;
    interrupted?: boolean;
  },
): void {
  ctx.emit({
    type: "attempt",
    jobId,
    tenant: record.tenant,
    jobClass: record.job.class,
    task: record.job.task,
    attempt,
    retryInMs: extra.retryInMs ?? null,
    recorded: extra.recorded,
    firstByteMs: extra.firstByteMs ?? null,
    interrupted: extra.interrupted ?? false,
  });
}
