/**
 * `@llmr/eval`: evaluation harnesses that run workloads through the real router (API, queues,
 * workers, the provider simulator) over HTTP and measure what it did.
 */

export {
  type EvalConfig,
  loadEvalConfig,
  parseEvalConfig,
  type TierModel,
  withTiers,
} from "./eval-config.ts";
export { EvaluationError } from "./evaluation-error.ts";
export { type GradedItem, gradeJob } from "./grade.ts";
export { type FinishedJob, type JobSubmission, runJobs } from "./job-client.ts";
export {
  gapRecovered,
  mulberry32,
  percentile,
  type RandomBaseline,
  type RunSummary,
  randomAtEqualCost,
  rocAuc,
  summarizeRun,
} from "./metrics.ts";
export { parseReplayRecords, type ReplayRecord, readReplayRecords } from "./replay-dataset.ts";
export { writeResults } from "./results-file.ts";
export { formatReport, headline, type PolicyResult, type RoutingEvalReport } from "./routing-report.ts";
export { type MechanicsOptions, type MechanicsReport, runMechanicsCheck } from "./run-mechanics.ts";
export { type RoutingEvalOptions, runRoutingEval } from "./run-routing-eval.ts";
