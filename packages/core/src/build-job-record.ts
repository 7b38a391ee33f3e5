import type { JobRecord } from "./job-record.ts";
import type { RoutedRequest } from "./normalize-request.ts";

/**
 * A new job's record, `queued` on the tier its route starts at: what every submission path
 * stores (a single job, a batch's items).
 */
export function buildJobRecord(
  routed: RoutedRequest,
  options: {
    id: string;
    tenant: string;
    createdAt: Date;
    /** After this the job fails `deadline_exceeded`. */
    deadlineAt: Date;
    batchId?: string | null;
  },
): JobRecord {
  return {
    tenant: options.tenant,
    request: routed.request,
    route: routed.route,
    hop: 1,
    deadline_at: options.deadlineAt.toISOString(),
    job: {
      id: options.id,
      object: "job",
      status: "queued",
      class: routed.class,
      task: routed.task,
      tier: routed.initialTier.name,
      routing: {
        initial_tier: routed.initialTier.name,
        max_tier: routed.maxTier.name,
        reason: routed.reason,
        escalations: [],
      },
      result: null,
      attempts: [],
      cost_usd: 0,
      error: null,
      metadata: routed.metadata,
      batch_id: options.batchId ?? null,
      created_at: options.createdAt.toISOString(),
      started_at: null,
      finished_at: null,
    },
  };
}
