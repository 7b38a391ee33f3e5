import { isTimeZone, parseTimeOfDay } from "@llmr/daily-window";
import { z } from "zod";

/**
 * The YAML shape of the router's configuration. Field names are snake_case like the HTTP contract;
 * `resolveConfig` turns a validated document into the camelCase `RouterConfig` the code uses.
 * Every field carries a description: the JSON Schema and the README reference are generated from them.
 */

const Name = z
  .string()
  .regex(/^[a-z0-9][a-z0-9._-]*$/i, "use letters, digits, '.', '_' or '-' (starting with a letter or digit)");

const EnvVarName = z
  .string()
  .regex(/^[A-Z_][A-Z0-9_]*$/, "must be an environment variable name like OPENAI_API_KEY");

const Sha256Hex = z
  .string()
  .regex(/^[0-9a-f]{64}$/, "must be a lowercase hex SHA-256 digest (64 characters)");

export const ProviderKindSchema = z
  .enum(["openai", "anthropic", "openai-compatible", "simulated"])
  .describe(
    "`openai` and `anthropic` use the vendors' official SDKs; `openai-compatible` is any OpenAI-style server (Ollama, vLLM, llama.cpp server); `simulated` is the bundled provider simulator.",
  );

export const ProviderSchema = z
  .strictObject({
    kind: ProviderKindSchema,
    base_url: z
      .url({ protocol: /^https?$/ })
      .optional()
      .describe("API base URL. Defaults to the vendor's; required for `openai-compatible` and `simulated`."),
    api_key_env: EnvVarName.optional().describe(
      "Name of the environment variable holding the API key. The key itself never appears in the config file.",
    ),
    protocol: z
      .enum(["openai", "anthropic"])
      .optional()
      .describe(
        "For `simulated` providers: which vendor protocol to speak to the simulator. Default `openai`.",
      ),
    simulate_without_key: z
      .boolean()
      .default(false)
      .describe(
        "When the variable named by `api_key_env` is unset, serve this provider's models from the simulator instead (logged at start, and every attempt says `simulated-<id>`).",
      ),
    headers: z
      .record(z.string(), z.string())
      .optional()
      .describe("Extra HTTP headers sent on every call (e.g. an organisation id)."),
  })
  .describe("A model vendor or endpoint.");

export const ModelSchema = z
  .strictObject({
    provider: Name.describe("Key of the provider (under `providers`) that serves this model."),
    model_id: z
      .string()
      .min(1)
      .describe("The provider's own model id, sent on the wire (e.g. `gpt-5.4-mini`)."),
    price_per_mtok_usd: z
      .strictObject({
        input: z.number().nonnegative().describe("USD per 1M input (prompt) tokens."),
        output: z.number().nonnegative().describe("USD per 1M output (completion) tokens."),
      })
      .describe("List price used for every attempt's `cost_usd`."),
    context_window: z.number().int().positive().describe("Context window in tokens (input + output)."),
    max_output_tokens: z
      .number()
      .int()
      .positive()
      .optional()
      .describe("Largest `max_output_tokens` the model accepts; requests above it are capped."),
    capabilities: z
      .strictObject({
        json_mode: z.boolean().default(false).describe("Native JSON / structured-output mode."),
        logprobs: z.boolean().default(false).describe("Returns per-token log probabilities."),
      })
      .default({ json_mode: false, logprobs: false })
      .describe("What the model can do; routing only sends a job where its needs are met."),
  })
  .describe("A model a tier can deploy, with its price.");

const TimeLimitsSchema = z
  .strictObject({
    soft_ms: z
      .number()
      .int()
      .positive()
      .describe("After this long the job is reported slow (a `slow` event); the call goes on."),
    hard_ms: z
      .number()
      .int()
      .positive()
      .describe("After this long the call is aborted and the attempt ends `timeout`."),
  })
  .refine((limits) => limits.soft_ms < limits.hard_ms, {
    message: "soft_ms must be smaller than hard_ms",
    path: ["soft_ms"],
  });

export const DeploymentSchema = z
  .strictObject({
    model: Name.describe("Key of the model (under `models`)."),
    rpm: z.number().int().positive().optional().describe("Requests per minute this deployment may send."),
    tpm: z
      .number()
      .int()
      .positive()
      .optional()
      .describe("Tokens (input + output) per minute this deployment may use."),
  })
  .describe("One model served in a tier, tried in the order listed.");

export const TierSchema = z
  .strictObject({
    name: Name.describe("Tier name, used in requests (`tier`, `max_tier`) and in queue names."),
    deployments: z.array(DeploymentSchema).min(1).describe("The models of this tier, first choice first."),
    concurrency: z
      .strictObject({
        interactive: z
          .number()
          .int()
          .min(1)
          .default(8)
          .describe("Parallel interactive jobs per worker process."),
        batch: z
          .number()
          .int()
          .min(0)
          .default(2)
          .describe("Parallel batch jobs per worker process (0 = none)."),
      })
      .default({ interactive: 8, batch: 2 })
      .describe("Worker concurrency per class: interactive and batch work have separate queues and slots."),
    time_limits: z
      .strictObject({
        interactive: TimeLimitsSchema.default({ soft_ms: 15_000, hard_ms: 60_000 }),
        batch: TimeLimitsSchema.default({ soft_ms: 120_000, hard_ms: 600_000 }),
      })
      .default({
        interactive: { soft_ms: 15_000, hard_ms: 60_000 },
        batch: { soft_ms: 120_000, hard_ms: 600_000 },
      })
      .describe("Soft and hard time limits of one provider call, per class."),
    hedge: z
      .boolean()
      .default(false)
      .describe(
        "At the soft limit, also send the call to the tier's next deployment; the first successful answer wins and the other call is aborted.",
      ),
  })
  .describe("A rung of the cost ladder; tiers are listed cheapest first.");

/** Names of the built-in quality checks (see `@llmr/routing`). */
export const BUILT_IN_CHECKS = [
  "empty",
  "truncated",
  "refusal",
  "json_schema",
  "summary_length",
  "language",
] as const;

export const CustomCheckSchema = z
  .strictObject({
    name: Name.describe("The check's name, as listed in `checks` and shown in attempts."),
    module: z
      .string()
      .min(1)
      .describe(
        "Path of an ES module (relative to the config file) whose default export is the check function; see the README.",
      ),
  })
  .describe("A team's own quality check, loaded at start without forking the router.");

export const TaskSchema = z
  .strictObject({
    default_tier: Name.describe(
      "Tier a job of this task starts at when no routing rule matches and it pins none.",
    ),
    max_output_tokens: z
      .number()
      .int()
      .positive()
      .default(1024)
      .describe("Default `max_output_tokens` for jobs of this task."),
    checks: z
      .array(Name)
      .default(["empty", "truncated", "refusal", "json_schema", "language"])
      .describe(
        `Quality checks run on every answer, in order: built-in (${BUILT_IN_CHECKS.join(", ")}) or custom (\`custom_checks\`).`,
      ),
    custom_checks: z
      .array(CustomCheckSchema)
      .default([])
      .describe("This task's own checks, by name and module."),
    self_reported_confidence: z
      .boolean()
      .default(false)
      .describe(
        "Ask structured answers for a `confidence` field in [0, 1] and use it as the confidence signal (classify, extract).",
      ),
    expected_output_tokens: z
      .strictObject({
        min: z
          .number()
          .int()
          .min(0)
          .describe("Fewer output tokens than this lowers the heuristic confidence."),
        max: z
          .number()
          .int()
          .positive()
          .describe("More output tokens than this lowers the heuristic confidence."),
      })
      .optional()
      .describe("How long a good answer usually is, for the text heuristics."),
    escalation: z
      .strictObject({
        min_confidence: z
          .number()
          .min(0)
          .max(1)
          .default(0.5)
          .describe(
            "An answer whose confidence is below this is `low_confidence` and escalates to the next tier.",
          ),
        on_quality_failure: z
          .enum(["next", "top"])
          .default("top")
          .describe(
            "Where a job goes when an answer fails a quality check: the next tier up, or the top tier allowed.",
          ),
        max_escalations: z
          .number()
          .int()
          .min(0)
          .max(10)
          .default(2)
          .describe("Most tier changes one job may make."),
      })
      .default({ min_confidence: 0.5, on_quality_failure: "top", max_escalations: 2 })
      .describe("When an answer is not good enough for this task, and where the job goes then."),
    map_reduce: z
      .strictObject({
        chunk_tokens: z
          .number()
          .int()
          .min(200)
          .default(6_000)
          .describe(
            "An input longer than this (or than the starting tier's smallest context window leaves room for) is split into parts of at most this many tokens.",
          ),
        overlap_tokens: z
          .number()
          .int()
          .min(0)
          .default(200)
          .describe(
            "Each part repeats about this many tokens (whole sentences) from the end of the part before it, so nothing said across a cut is lost.",
          ),
        max_parts: z
          .number()
          .int()
          .min(2)
          .max(1_000)
          .default(200)
          .describe("Most parts one document may be split into; a longer input is refused at submission."),
        max_levels: z
          .number()
          .int()
          .min(1)
          .max(5)
          .default(3)
          .describe(
            "Most rounds of summarizing: when the parts' summaries together are still too long, they are split and summarized again, up to this many rounds.",
          ),
      })
      .optional()
      .describe(
        "Map-reduce for long inputs (summaries): each part is its own routed, quality-checked job; one last call combines their answers. Absent: the input goes to one call.",
      ),
  })
  .describe("A kind of work (chat, summarize, classify, extract, ...).");

/** What a rule looks at; every condition given must hold. */
export const RuleConditionSchema = z
  .strictObject({
    task: z.array(Name).min(1).optional().describe("The job's task is one of these."),
    min_input_tokens: z
      .number()
      .int()
      .min(0)
      .optional()
      .describe("The input (all messages) has more than this many tokens (o200k tokenizer)."),
    max_input_tokens: z.number().int().min(0).optional().describe("The input has at most this many tokens."),
    pattern: z
      .string()
      .min(1)
      .optional()
      .describe("A regular expression (case-insensitive) that matches the input's text."),
    response_format: z
      .array(z.enum(["text", "json_object", "json_schema"]))
      .min(1)
      .optional()
      .describe("The job asks for one of these response formats."),
    tenant: z.array(Name).min(1).optional().describe("The job's API key name is one of these."),
    metadata: z
      .record(z.string(), z.string())
      .optional()
      .describe("The job's metadata has all these key/value pairs."),
  })
  .describe("Conditions of a rule; an empty `when` always matches.");

export const RuleSchema = z
  .strictObject({
    name: Name.describe("Shown in `routing.reason` and the logs."),
    when: RuleConditionSchema.default({}),
    tier: Name.optional().describe("The starting tier when the rule matches."),
    max_tier: Name.optional().describe("Never escalate above this tier when the rule matches."),
    providers: z
      .array(Name)
      .min(1)
      .optional()
      .describe("Only deployments of these providers may serve the job (e.g. a compliance tag)."),
  })
  .refine((rule) => rule.tier !== undefined || rule.max_tier !== undefined || rule.providers !== undefined, {
    message: "a rule must set tier, max_tier or providers",
  })
  .describe(
    "A routing rule: when its conditions hold, it picks the starting tier and/or restricts where the job may go.",
  );

const CredentialSchema = z.strictObject({
  name: Name.describe("Who this credential belongs to; an API key's name is its tenant."),
  sha256: Sha256Hex.describe("SHA-256 (hex) of the secret. Only the hash is kept."),
});

const TimeOfDay = z.string().refine((text) => parseTimeOfDay(text) !== undefined, {
  error: (issue) => `must be a time of day HH:MM from 00:00 to 23:59 (got ${JSON.stringify(issue.input)})`,
});

export const BatchWindowSchema = z
  .strictObject({
    start: TimeOfDay.describe("Local time the window opens each day, `HH:MM` (e.g. `01:00`)."),
    end: TimeOfDay.describe(
      "Local time it closes, `HH:MM`; not after `start` means the next day (`22:00`-`04:00` runs past midnight).",
    ),
    time_zone: z
      .string()
      .refine(isTimeZone, {
        error: (issue) =>
          `unknown time zone ${JSON.stringify(issue.input)} (use an IANA name like Europe/Berlin or UTC)`,
      })
      .describe("IANA time zone of `start` and `end`; DST nights follow the wall clock."),
  })
  .refine((window) => window.start !== window.end, {
    path: ["end"],
    error: "must differ from start (an empty window never opens)",
  })
  .describe(
    "A daily local-time window, e.g. 01:00-06:00 in Europe/Berlin. On the night clocks skip an hour, a start in the gap moves forward by it; in a repeated hour the first one counts.",
  );

export const RouterConfigSchema = z
  .strictObject({
    version: z.literal(1).describe("Config format version."),
    simulator: z
      .strictObject({
        base_url: z
          .url({ protocol: /^https?$/ })
          .default("http://127.0.0.1:4010")
          .describe(
            "Where the provider simulator listens; used by `simulated` providers without a `base_url`.",
          ),
      })
      .default({ base_url: "http://127.0.0.1:4010" })
      .describe("The bundled provider simulator (used without API keys, in tests and benchmarks)."),
    redis: z
      .strictObject({
        key_prefix: Name.default("llmr").describe("Prefix of every Redis key (queues and job records)."),
      })
      .default({ key_prefix: "llmr" })
      .describe("Redis layout. Keys carry hash tags so that Redis Cluster works."),
    api: z
      .strictObject({
        body_limit_bytes: z
          .number()
          .int()
          .positive()
          .default(1_048_576)
          .describe("Largest request body accepted; larger ones get 413."),
        rate_limit: z
          .strictObject({
            requests_per_minute: z
              .number()
              .int()
              .positive()
              .default(600)
              .describe("Sustained requests per minute per API key (all /v1 routes)."),
            burst: z
              .number()
              .int()
              .positive()
              .default(60)
              .describe("Requests a key may make at once before the per-minute pace applies."),
          })
          .default({ requests_per_minute: 600, burst: 60 })
          .describe(
            "Per-API-key request limits, held in Redis so they apply across API processes (429 beyond).",
          ),
      })
      .default({ body_limit_bytes: 1_048_576, rate_limit: { requests_per_minute: 600, burst: 60 } })
      .describe("The HTTP API."),
    jobs: z
      .strictObject({
        default_task: Name.default("chat").describe("Task of a job that names none."),
        max_attempts: z
          .number()
          .int()
          .min(1)
          .max(20)
          .default(3)
          .describe("Most provider calls one job may make on one tier (retries included)."),
        fallback_to_next_tier: z
          .boolean()
          .default(true)
          .describe(
            "When every try on a tier failed with retryable errors, move the job to the next tier up (within max_tier) instead of failing it.",
          ),
        deadline_s: z
          .strictObject({
            interactive: z
              .number()
              .int()
              .positive()
              .default(300)
              .describe("An interactive job fails after this long."),
            batch: z.number().int().positive().default(86_400).describe("A batch job fails after this long."),
          })
          .default({ interactive: 300, batch: 86_400 })
          .describe(
            "Overall deadline of a job from its submission; past it the job fails `deadline_exceeded`.",
          ),
        retention_s: z
          .number()
          .int()
          .positive()
          .default(604_800)
          .describe("How long a finished job's record stays readable, in seconds."),
        events_retention_s: z
          .number()
          .int()
          .positive()
          .optional()
          .describe(
            "How long a finished job's event stream (`GET /v1/jobs/{id}/events` replay, `Last-Event-ID` resume, the explain view's per-run details) stays, in seconds; at most `retention_s`. Absent: 86400 (1 day), or `retention_s` when that is shorter. After it, the event stream of a finished job sends only its final `job` event, read from the record.",
          ),
      })
      .default({
        default_task: "chat",
        max_attempts: 3,
        fallback_to_next_tier: true,
        deadline_s: { interactive: 300, batch: 86_400 },
        retention_s: 604_800,
      })
      .describe("Job defaults and limits."),
    batches: z
      .strictObject({
        window: BatchWindowSchema.optional().describe(
          "Batch-class work starts only inside this daily window (calls already running finish after it closes); interactive work is never held. Absent: batch work runs at any time.",
        ),
      })
      .default({})
      .describe("When batch work runs (besides each batch's own `not_before` / `complete_by`)."),
    auth: z
      .strictObject({
        api_keys: z
          .array(CredentialSchema)
          .default([])
          .describe("API keys (hashed). More come from `LLMR_API_KEYS`."),
        operator_tokens: z
          .array(CredentialSchema)
          .default([])
          .describe(
            "Operator credentials for /admin and /metrics (hashed). More come from `LLMR_OPERATOR_TOKEN`.",
          ),
      })
      .default({ api_keys: [], operator_tokens: [] })
      .describe("Who may call the API and the operator routes."),
    admin: z
      .strictObject({
        session_ttl_s: z
          .number()
          .int()
          .min(60)
          .max(604_800)
          .default(28_800)
          .describe(
            "How long an operator's dashboard login (at /admin/login) lasts, in seconds; then the operator logs in again.",
          ),
        bull_board: z
          .strictObject({
            read_only: z
              .boolean()
              .default(false)
              .describe(
                "Make every queue read-only in the dashboard: jobs and their errors are shown, but retry, remove, clean, pause, promote and add are hidden and refused.",
              ),
            read_only_queues: z
              .array(Name)
              .default([])
              .describe(
                "Make only these queues read-only: a class (`interactive`, `batch`), a tier name (both its classes), one queue `<tier>-<class>`, or `webhooks`.",
              ),
          })
          .default({ read_only: false, read_only_queues: [] })
          .describe("The bull-board dashboard at /admin/queues."),
      })
      .default({ session_ttl_s: 28_800, bull_board: { read_only: false, read_only_queues: [] } })
      .describe("The operator's dashboard."),
    webhooks: z
      .strictObject({
        allow_private_targets: z
          .boolean()
          .default(false)
          .describe(
            "Let webhook URLs point at loopback and private networks. For local development and tests only: it opens the SSRF guard.",
          ),
        timeout_ms: z
          .number()
          .int()
          .positive()
          .default(15_000)
          .describe("How long one delivery try may take."),
        schedule_scale: z
          .number()
          .positive()
          .max(1)
          .default(1)
          .describe(
            "Compresses the retry schedule (immediately, 5 s, 5 min, … 24 h) for tests; 1 in production.",
          ),
      })
      .default({ allow_private_targets: false, timeout_ms: 15_000, schedule_scale: 1 })
      .describe("Signed webhook deliveries (Standard Webhooks)."),
    dispatch: z
      .strictObject({
        reserved_interactive_share: z
          .number()
          .min(0)
          .max(1)
          .default(0.2)
          .describe(
            "Share of every deployment's RPM/TPM kept for interactive work; batch work borrows it only while interactive work is idle.",
          ),
        breaker: z
          .strictObject({
            failure_threshold: z
              .number()
              .int()
              .min(1)
              .default(5)
              .describe("Retryable failures that open a deployment's breaker."),
            failure_window_ms: z
              .number()
              .int()
              .positive()
              .default(60_000)
              .describe("…counted within this window."),
            cool_down_ms: z
              .number()
              .int()
              .positive()
              .default(30_000)
              .describe(
                "How long an open breaker skips the deployment before one probe call is let through.",
              ),
          })
          .default({ failure_threshold: 5, failure_window_ms: 60_000, cool_down_ms: 30_000 })
          .describe("Per-deployment circuit breakers, shared by every worker through Redis."),
      })
      .default({
        reserved_interactive_share: 0.2,
        breaker: { failure_threshold: 5, failure_window_ms: 60_000, cool_down_ms: 30_000 },
      })
      .describe("Shared rate limits and circuit breakers of the deployments."),
    providers: z.record(Name, ProviderSchema).describe("Model vendors and endpoints, by id."),
    models: z.record(Name, ModelSchema).describe("Models, by the name tiers refer to."),
    tiers: z.array(TierSchema).min(1).describe("Tiers, cheapest first."),
    tasks: z.record(Name, TaskSchema).describe("Tasks, by name."),
    routing: z
      .strictObject({
        rules: z
          .array(RuleSchema)
          .default([])
          .describe(
            "Evaluated in order; the first rule that matches and sets a tier picks the starting tier.",
          ),
      })
      .default({ rules: [] })
      .describe("Rule-based choice of the starting tier (no model in the loop)."),
  })
  .describe("Configuration of the LLM job router.");

export type RouterConfigDocument = z.infer<typeof RouterConfigSchema>;
export type RouterConfigInput = z.input<typeof RouterConfigSchema>;
