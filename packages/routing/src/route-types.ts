import type { ChatMessage, ResponseFormatType } from "./request-types.ts";

/** What routing knows about a job before any model sees it. Task and tier names are already validated. */
export interface RouteFacts {
  task: string;
  messages: readonly ChatMessage[];
  /** The request's `response_format.type`; `text` when it gives none. */
  responseFormat: ResponseFormatType;
  /** The job's output budget (the request's, else the task's default): it must fit the context window too. */
  maxOutputTokens: number;
  /** The API key's name. */
  tenant: string;
  metadata: Readonly<Record<string, string>>;
  /** The request's `tier`: overrides the rules' choice, never the restrictions. */
  pinnedTier?: string;
  /** The request's `max_tier`: combines with the rules' `max_tier` (the lowest wins). */
  requestedMaxTier?: string;
  /**
   * Only deployments whose model returns token logprobs. No request field asks for this yet.
   * @defaultValue false
   */
  requireLogprobs?: boolean;
  /** The input's token count when the caller already has it (e.g. from an earlier routing). */
  inputTokens?: number;
}

/** What a deployment must offer to take the job. */
export interface RouteRequirements {
  /** Native JSON mode, for `response_format` `json_object` / `json_schema`. */
  jsonMode: boolean;
  logprobs: boolean;
  /** Input plus output budget, in tokens: the model's context window must hold it. */
  contextTokens: number;
  /** Only these providers (ids under `providers`); `undefined` = any. */
  providers: readonly string[] | undefined;
}

/** Where a job starts and how far it may go. */
export interface RouteDecision {
  refused: false;
  /** The tier whose queue takes the job first. */
  initialTier: string;
  /** The highest tier the job may reach by escalation (config top tier unless a rule or the request lowers it). */
  maxTier: string;
  /** Providers the job may use, when a rule restricts them. */
  allowedProviders: string[] | undefined;
  /** Input tokens (o200k, messages with their framing). */
  inputTokens: number;
  /** The rule that picked the starting tier, if one did. */
  rule: string | undefined;
  /** Every rule whose conditions held, in config order (restrictions come from all of them). */
  matchedRules: string[];
  /** Plain words, e.g. `rule "long-input": input 12,480 tokens > 8,000 → standard`. */
  reason: string;
  /** Pass to `eligibleDeployments` for the starting tier and for every tier the job escalates to. */
  requirements: RouteRequirements;
}

/** The job cannot be routed as asked: answer 400 naming `param`. */
export interface RouteRefusal {
  refused: true;
  /** The request field at fault: `tier`, `messages`, `response_format`, `metadata`, `max_tier`. */
  param: string;
  message: string;
}
