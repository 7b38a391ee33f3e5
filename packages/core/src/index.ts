export type { BatchWindowEvent, BatchWindowGateOptions } from "./batch-window-gate.ts";
export { BatchWindowGate } from "./batch-window-gate.ts";
export type { BatchCancelSweepsOptions } from "./batches/batch-cancel-sweeps.ts";
export { BatchCancelSweeps } from "./batches/batch-cancel-sweeps.ts";
export type { BatchCompletedDelivery } from "./batches/batch-notifier.ts";
export { createBatchNotifier } from "./batches/batch-notifier.ts";
export type {
  BatchCounts,
  BatchEstimate,
  BatchResultLine,
  BatchResultsEnd,
  BatchStatus,
  BatchWindowView,
  EstimateBasis,
  PublicBatch,
} from "./batches/batch-object.ts";
export { BatchObjectSchema, BatchResultLineSchema, BatchResultsEndSchema } from "./batches/batch-object.ts";
export type { BatchRecoveryOptions, RecoveredBatch } from "./batches/batch-recovery.ts";
export { recoverBatches, startBatchRecovery } from "./batches/batch-recovery.ts";
export type { BatchOptions } from "./batches/batch-request.ts";
export {
  BatchDefaultsSchema,
  BatchItemSchema,
  BatchRequestSchema,
  MAX_BATCH_ITEMS,
  NDJSON_OPTIONS_OBJECT,
} from "./batches/batch-request.ts";
export { batchResults } from "./batches/batch-results.ts";
export type { BatchScheduleInput } from "./batches/batch-schedule.ts";
export { batchWindowView, estimateBatch } from "./batches/batch-schedule.ts";
export type { BatchEntry, BatchSource } from "./batches/batch-source.ts";
export { jsonBatchSource, ndjsonBatchSource } from "./batches/batch-source.ts";
export type { BatchItemEntry, BatchMeta, BatchStoreOptions } from "./batches/batch-store.ts";
export { BatchStore, publicBatch } from "./batches/batch-store.ts";
export type { BatchTrackEvent, BatchTrackMonitorOptions } from "./batches/batch-track-monitor.ts";
export { BatchTrackMonitor } from "./batches/batch-track-monitor.ts";
export type { CancelBatchDeps } from "./batches/cancel-batch.ts";
export { CANCEL_ANSWER_WAIT_MS, cancelBatch } from "./batches/cancel-batch.ts";
export { BATCH_CHUNK_ITEMS, enqueueBatch } from "./batches/enqueue-batch.ts";
export type { BatchSubmitDeps, WebhookUrlCheck } from "./batches/submit-batch.ts";
export { submitBatch } from "./batches/submit-batch.ts";
export type {
  SweepBatchCancelDeps,
  SweepBatchCancelOptions,
  SweepOutcome,
} from "./batches/sweep-batch-cancel.ts";
export { sweepBatchCancel } from "./batches/sweep-batch-cancel.ts";
export type { CancelDeps } from "./cancel-job.ts";
export { cancelJob } from "./cancel-job.ts";
export { attemptCostUsd, sumCostUsd } from "./cost.ts";
export { BatchNotCancellableError } from "./errors/batch-not-cancellable-error.ts";
export { JobNotCancellableError } from "./errors/job-not-cancellable-error.ts";
export type { RequestIssue } from "./errors/request-validation-error.ts";
export { RequestValidationError } from "./errors/request-validation-error.ts";
export { RetryLaterError } from "./errors/retry-later-error.ts";
export { StorageUnavailableError } from "./errors/storage-unavailable-error.ts";
export type { TaskPolicy } from "./explain/explain-attempt.ts";
export type { ExplainJobInput } from "./explain/explain-job.ts";
export { explainJob } from "./explain/explain-job.ts";
export type { TierWindows } from "./explain/explain-map-reduce.ts";
export type { ExplainStep, JobExplanation, PartLabel } from "./explain/explanation-schema.ts";
export { JobExplanationSchema } from "./explain/explanation-schema.ts";
export { renderExplanationText } from "./explain/explanation-text.ts";
export type { LoadJobPartsDeps } from "./explain/load-job-parts.ts";
export { loadJobParts } from "./explain/load-job-parts.ts";
export type { StoredPart } from "./explain/map-reduce-parts.ts";
export { BATCH_ID_PATTERN, JOB_ID_PATTERN, newBatchId, newJobId } from "./ids.ts";
export { JobEventHub } from "./job-event-hub.ts";
export type { JobEvent, JobEventNotice, JobEventsOptions, JobEventType } from "./job-events.ts";
export { isAfter, JobEvents } from "./job-events.ts";
export { AttemptSchema, ErrorEnvelopeSchema, JobObjectSchema } from "./job-object-schema.ts";
export type {
  Attempt,
  AttemptOutcome,
  JobError,
  JobRecord,
  JobResult,
  JobStatus,
  NormalizedRequest,
  PublicJob,
  Usage,
} from "./job-record.ts";
export { TERMINAL_STATUSES } from "./job-record.ts";
export type { ChatMessage, JobRequest, ResponseFormat } from "./job-request.ts";
export { JobRequestSchema } from "./job-request.ts";
export type { JobStoreOptions, StoredRecord } from "./job-store.ts";
export { JobStore } from "./job-store.ts";
export type { RoutedRequest } from "./normalize-request.ts";
export { normalizeRequest } from "./normalize-request.ts";
export type { ProcessorDeps, ProcessorEvent } from "./process-job.ts";
export { createJobProcessor } from "./process-job.ts";
export { ProviderPool } from "./provider-pool.ts";
export type { RedisClient, RedisRole } from "./redis-connection.ts";
export { createRedis, duplicateRedis, isCluster, waitForRedis } from "./redis-connection.ts";
export { RedisKeys, tierQueueName } from "./redis-keys.ts";
export { assertNoEviction, UnsafeRedisError } from "./redis-safety.ts";
export type { ClusterSeed, ClusterTarget, RedisTarget } from "./redis-target.ts";
export { ClusterNodesSchema, parseClusterNodes } from "./redis-target.ts";
export { requestIssuesFromZod } from "./request-issues.ts";
export { retryDelayMs } from "./retry-delay.ts";
export type { DispatchGates, Selection } from "./select-deployment.ts";
export { createDispatchGates, selectDeployment } from "./select-deployment.ts";
export type { SubmitDeps } from "./submit-job.ts";
export { submitJob } from "./submit-job.ts";
export type { QueuePayload } from "./tier-queues.ts";
export { QueuePayloadSchema, TierQueues, tierJobOptions } from "./tier-queues.ts";
export type { RunningTierWorker, TierWorkerOptions } from "./tier-workers.ts";
export {
  abortCancelledJobs,
  closeTierWorkers,
  describeWorkers,
  routerBackoffStrategy,
  startTierWorkers,
} from "./tier-workers.ts";
