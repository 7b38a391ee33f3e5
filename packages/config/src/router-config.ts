import type { DailyWindow } from "@llmr/daily-window";

/** The validated, resolved configuration the router runs on (camelCase, references resolved). */

export type ProviderKind = "openai" | "anthropic" | "openai-compatible" | "simulated";
export type WireProtocol = "openai" | "anthropic";
export type JobClass = "interactive" | "batch";

export const JOB_CLASSES: readonly JobClass[] = ["interactive", "batch"];

export interface ResolvedProvider {
  /** Key under `providers`. */
  id: string;
  /** Kind in force: `simulated` when `simulate_without_key` replaced a vendor whose key is missing. */
  kind: ProviderKind;
  protocol: WireProtocol;
  baseUrl: string | undefined;
  apiKeyEnv: string | undefined;
  /** The secret, read from `apiKeyEnv`. Never log a provider object whole. */
  apiKey: string | undefined;
  headers: Record<string, string>;
  /** True when this provider's models are answered by the simulator. */
  simulated: boolean;
  /** Why it is simulated, in words, for the start-up log. */
  simulatedReason: string | undefined;
  /** Name shown in attempts and results: the id, or `simulated-<id>` when simulated. */
  label: string;
}

export interface ResolvedModel {
  /** Key under `models`. */
  name: string;
  providerId: string;
  modelId: string;
  pricePerMTokUsd: { input: number; output: number };
  contextWindowTokens: number;
  maxOutputTokens: number | undefined;
  capabilities: { jsonMode: boolean; logprobs: boolean };
}

export interface TimeLimits {
  softMs: number;
  hardMs: number;
}

export interface ResolvedDeployment {
  /** Stable id: `<tier>/<model>`, used for limiter and breaker keys. */
  id: string;
  model: ResolvedModel;
  provider: ResolvedProvider;
  rpm: number | undefined;
  tpm: number | undefined;
}

export interface ResolvedTier {
  name: string;
  /** Position on the cost ladder, 0 = cheapest. */
  rank: number;
  deployments: ResolvedDeployment[];
  concurrency: Record<JobClass, number>;
  timeLimits: Record<JobClass, TimeLimits>;
  /** At the soft limit, race a second deployment; the first successful answer wins. */
  hedge: boolean;
}

export interface CustomCheckRef {
  name: string;
  /** Absolute path (or file URL) of the module; resolved against the config file's folder. */
  module: string;
}

export interface ResolvedTask {
  name: string;
  defaultTier: string;
  maxOutputTokens: number;
  /** Quality checks to run on every answer, in order (built-in or custom names). */
  checks: string[];
  customChecks: CustomCheckRef[];
  selfReportedConfidence: boolean;
  expectedOutputTokens: { min: number; max: number } | undefined;
  escalation: {
    minConfidence: number;
    /** After a failed quality check: the next tier up, or straight to the top tier allowed. */
    onQualityFailure: "next" | "top";
    maxEscalations: number;
  };
  /** Long inputs are split into parts, summarized apart and combined (absent: one call). */
  mapReduce: MapReduceSettings | undefined;
}

/** How a task splits a long input (`tasks.<name>.map_reduce`). */
export interface MapReduceSettings {
  chunkTokens: number;
  overlapTokens: number;
  maxParts: number;
  maxLevels: number;
}

export interface RuleCondition {
  task: string[] | undefined;
  minInputTokens: number | undefined;
  maxInputTokens: number | undefined;
  /** Compiled case-insensitive; `patternSource` keeps the text for reasons. */
  pattern: RegExp | undefined;
  patternSource: string | undefined;
  responseFormat: Array<"text" | "json_object" | "json_schema"> | undefined;
  tenant: string[] | undefined;
  metadata: Record<string, string> | undefined;
}

export interface ResolvedRule {
  name: string;
  when: RuleCondition;
  tier: string | undefined;
  maxTier: string | undefined;
  providers: string[] | undefined;
}

export interface Credential {
  name: string;
  sha256: string;
}

export interface RouterConfig {
  /** File the config came from (or `<inline>`). */
  source: string;
  simulatorUrl: string;
  redis: { keyPrefix: string };
  api: { bodyLimitBytes: number; rateLimit: { requestsPerMinute: number; burst: number } };
  jobs: {
    defaultTask: string;
    maxAttempts: number;
    fallbackToNextTier: boolean;
    deadlineSeconds: Record<JobClass, number>;
    retentionSeconds: number;
    /** How long a finished job's event stream stays (at most `retentionSeconds`). */
    eventsRetentionSeconds: number;
  };
  batches: {
    /** Batch-class work starts only inside this daily window; undefined: at any time. */
    window: DailyWindow | undefined;
  };
  auth: { apiKeys: Credential[]; operatorTokens: Credential[] };
  admin: {
    /** Lifetime of an operator's dashboard login. */
    sessionTtlSeconds: number;
    /** Queues the dashboard shows read-only, as `<tier>-<class>` or `webhooks` (sorted). */
    bullBoard: { readOnlyQueues: readonly string[] };
  };
  webhooks: { allowPrivateTargets: boolean; timeoutMs: number; scheduleScale: number };
  dispatch: {
    reservedInteractiveShare: number;
    breaker: { failureThreshold: number; failureWindowMs: number; coolDownMs: number };
  };
  providers: ReadonlyMap<string, ResolvedProvider>;
  models: ReadonlyMap<string, ResolvedModel>;
  /** Cheapest first. */
  tiers: readonly ResolvedTier[];
  tasks: ReadonlyMap<string, ResolvedTask>;
  /** Routing rules in order (the first that matches and sets a tier picks the starting tier). */
  rules: readonly ResolvedRule[];
}
