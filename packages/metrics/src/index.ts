export type { ApiMetrics } from "./api-metrics.ts";
export { defineApiMetrics } from "./api-metrics.ts";
export {
  HTTP_DURATION_BUCKETS_S,
  PROVIDER_LATENCY_BUCKETS_S,
  QUEUE_WAIT_BUCKETS_S,
  RATE_LIMIT_WAIT_BUCKETS_S,
} from "./buckets.ts";
export type { BreakerStateLabel, ClusterGaugeOptions, ClusterState, QueueState } from "./cluster-gauges.ts";
export { BREAKER_STATES, QUEUE_STATES, registerClusterGauges } from "./cluster-gauges.ts";
export { clusterStateFrom } from "./cluster-state.ts";
export type { RegistryOptions } from "./create-registry.ts";
export { createApiRegistry, createWorkerRegistry, METRIC_PREFIX } from "./create-registry.ts";
export { errorTypeLabel, JOB_ERROR_TYPES } from "./job-metrics.ts";
export { countCancelledJob, countSubmittedJob } from "./observe-api-job.ts";
export { observeDeliveryEvent } from "./observe-delivery-event.ts";
export { createProcessorEventObserver } from "./observe-processor-event.ts";
export type { WorkerMetrics } from "./worker-metrics.ts";
export { defineWorkerMetrics } from "./worker-metrics.ts";
