import type { RouterConfig } from "@llmr/config";
import { buildJobRecord } from "../build-job-record.ts";
import type { JobRecord, MapReduceState } from "../job-record.ts";
import type { JobStore } from "../job-store.ts";
import { normalizeRequest } from "../normalize-request.ts";
import type { ParentJob, QueuePayload, TierQueues } from "../tier-queues.ts";
import { partMessages } from "./plan-parts.ts";
import type { TextPart } from "./split-text.ts";

export interface QueuePartsDeps {
  config: RouterConfig;
  store: JobStore;
  queues: TierQueues;
  now: () => Date;
}

/** The record id of part `index` (1-based) of round `round` of job `jobId`: not a public job id. */
export function partId(jobId: string, round: number, index: number): string {
  return `${jobId}-r${round}p${index}`;
}

/**
 * Stores one job record per part and queues them as children of the parent's BullMQ job. Each
 * part is routed like any job of the task (cheap first, the job's `max_tier`, metadata and
 * timeouts), so it is quality-checked and escalates on its own; it has the job's deadline and no
 * webhook or batch of its own. Safe to run again: existing parts and queued jobs are kept.
 * Resolves with the round's parts for the job's `map_reduce` state.
 */
export async function queueParts(
  deps: QueuePartsDeps,
  record: JobRecord,
  round: number,
  material: number,
  parts: readonly TextPart[],
  parent: ParentJob,
): Promise<MapReduceState["parts"]> {
  const total = parts.length;
  const byTier = new Map<string, QueuePayload[]>();
  const out: MapReduceState["parts"] = [];
  const createdAt = deps.now();
  for (const [offset, part] of parts.entries()) {
    const index = offset + 1;
    const id = partId(record.job.id, round, index);
    const routed = normalizeRequest(
      {
        class: record.job.class,
        task: record.job.task,
        messages: partMessages(record.request.messages, material, part.text, { round, index, total }),
        max_output_tokens: record.request.max_output_tokens,
        max_tier: record.job.routing.max_tier,
        metadata: record.job.metadata,
        ...(record.request.temperature === undefined ? {} : { temperature: record.request.temperature }),
        ...(record.request.timeouts.soft_ms === undefined && record.request.timeouts.hard_ms === undefined
          ? {}
          : { timeouts: record.request.timeouts }),
      },
      deps.config,
      record.tenant,
    );
    const partRecord: JobRecord = {
      ...buildJobRecord(routed, {
        id,
        tenant: record.tenant,
        createdAt,
        deadlineAt: record.deadline_at ? new Date(record.deadline_at) : new Date(8.64e15),
      }),
      part_of: { job_id: record.job.id, batch_id: record.job.batch_id, round, index, total },
    };
    const existing = await deps.store.get(id);
    if (!existing) await deps.store.create(partRecord);
    const tier = existing?.record.job.tier ?? partRecord.job.tier;
    const hop = existing?.record.hop ?? 1;
    byTier.set(tier, [...(byTier.get(tier) ?? []), { job_id: id, hop }]);
    out.push({ id, start: part.start, end: part.end, tokens: part.tokens });
  }
  for (const [tier, payloads] of byTier) {
    await deps.queues.addAll(tier, record.job.class, payloads, parent);
  }
  return out;
}
