import type { RouterConfig } from "@llmr/config";
import { inSpan } from "@llmr/tracing";
import { buildJobRecord } from "./build-job-record.ts";
import { StorageUnavailableError } from "./errors/storage-unavailable-error.ts";
import { newJobId } from "./ids.ts";
import type { JobEvents } from "./job-events.ts";
import type { JobRecord } from "./job-record.ts";
import type { JobRequest } from "./job-request.ts";
import type { JobStore } from "./job-store.ts";
import { isSubmitFailure, submitAttributes, tracer } from "./job-tracing.ts";
import { normalizeRequest } from "./normalize-request.ts";
import type { TierQueues } from "./tier-queues.ts";

export interface SubmitDeps {
  config: RouterConfig;
  store: JobStore;
  queues: TierQueues;
  /**
   * Where the job's `queued` event goes (optional: streams start from the record anyway). The
   * store writes it with the record, in one Redis call, so it always precedes the worker's events.
   */
  events?: JobEvents;
  now?: () => Date;
}

/**
 * Validates a request against the config, stores its record and enqueues it on its starting
 * tier. Resolves with the record only once both are in Redis; if the enqueue fails the record is
 * removed again and `StorageUnavailableError` is thrown, so a caller never reports a job that will not run.
 */
export function submitJob(deps: SubmitDeps, tenant: string, request: JobRequest): Promise<JobRecord> {
  // The `llmr.submit` span (no-op when tracing is off): the enqueue under it carries its context.
  return inSpan(tracer, "llmr.submit", { isFailure: isSubmitFailure }, async (span) => {
    const record = await storeAndQueue(deps, tenant, request);
    if (span.isRecording()) span.setAttributes(submitAttributes(record));
    return record;
  });
}

async function storeAndQueue(deps: SubmitDeps, tenant: string, request: JobRequest): Promise<JobRecord> {
  const routed = normalizeRequest(request, deps.config, tenant);
  const now = (deps.now ?? (() => new Date()))();
  const id = newJobId(now.getTime());
  const record = buildJobRecord(routed, {
    id,
    tenant,
    createdAt: now,
    deadlineAt: new Date(now.getTime() + deps.config.jobs.deadlineSeconds[routed.class] * 1000),
  });

  const queued = { status: "queued", tier: routed.initialTier.name, reason: routed.reason };
  try {
    await deps.store.create(record, deps.events ? { event: { type: "status", data: queued } } : {});
  } catch (error) {
    throw new StorageUnavailableError(undefined, { cause: error });
  }
  try {
    await deps.queues.add(routed.initialTier.name, routed.class, { job_id: id, hop: 1 });
  } catch (error) {
    // Best effort (record and its queued event): if Redis is gone this fails too, and the orphan
    // record (status queued, never picked up) is harmless to others; the client got a 503 and will retry.
    await deps.store.delete(id).catch(() => undefined);
    throw new StorageUnavailableError(undefined, { cause: error });
  }
  return record;
}
