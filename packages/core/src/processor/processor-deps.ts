import type { RouterConfig } from "@llmr/config";
import type { BatchStore } from "../batches/batch-store.ts";
import type { JobEvents } from "../job-events.ts";
import type { JobRecord } from "../job-record.ts";
import type { JobStore } from "../job-store.ts";
import type { ProviderPool } from "../provider-pool.ts";
import type { DispatchGates } from "../select-deployment.ts";
import type { TierQueues } from "../tier-queues.ts";
import type { ProcessorEvent } from "./processor-event.ts";

/**
 * Where a test may kill the worker on purpose (`LLMR_FAILPOINT`): right after an escalation is in
 * the record but before the next tier has the job; right after a final status is in the record but
 * before the job's webhook is queued; right after a long input's parts are stored and queued but
 * before the job's record says so (map-reduce).
 */
export type Failpoint = "after-escalation-recorded" | "after-finish-recorded" | "after-parts-queued";

/** What the job processor works with: the config, the job store, the providers, the queues and its listeners. */
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
  /** Where the processor's events go (the app logs and counts them). */
  onEvent?: (event: ProcessorEvent) => void;
  /** Called at each failpoint; a test's worker exits there on purpose. */
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
  /**
   * The clock of the job's timestamps and deadlines.
   * @defaultValue `() => new Date()`
   */
  now?: () => Date;
}
