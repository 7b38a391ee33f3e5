import { dirname, isAbsolute, resolve as resolvePath } from "node:path";
import { parseTimeOfDay } from "@llmr/daily-window";
import type { ConfigIssue } from "./config-error.ts";
import { resolveAdmin } from "./resolve-admin.ts";
import type {
  ResolvedDeployment,
  ResolvedModel,
  ResolvedProvider,
  ResolvedRule,
  ResolvedTask,
  ResolvedTier,
  RouterConfig,
} from "./router-config.ts";
import type { RouterConfigDocument } from "./schema.ts";
import { BUILT_IN_CHECKS } from "./schema.ts";

/** A finished job's event stream stays this long unless `jobs.events_retention_s` says otherwise (1 day). */
const DEFAULT_EVENTS_RETENTION_S = 86_400;

type ProviderDoc = RouterConfigDocument["providers"][string];

export interface ResolveOptions {
  /**
   * Refuse a vendor provider whose key variable is unset (and that may not fall back to the simulator).
   * Workers need keys; the API, which never calls a provider, passes false.
   * @defaultValue true
   */
  requireProviderKeys?: boolean;
}

/**
 * Checks what a schema cannot (references between sections, unique names) and builds the
 * `RouterConfig`. Returns the issues instead when there are any, so every mistake is reported at once.
 */
export function resolveConfig(
  doc: RouterConfigDocument,
  env: Readonly<Record<string, string | undefined>>,
  source: string,
  options: ResolveOptions = {},
): { config: RouterConfig; issues: [] } | { config: undefined; issues: ConfigIssue[] } {
  const issues: ConfigIssue[] = [];

  const providers = new Map<string, ResolvedProvider>();
  for (const [id, provider] of Object.entries(doc.providers)) {
    const resolved = resolveProvider(id, provider, env, doc.simulator.base_url, issues, options);
    if (resolved) providers.set(id, resolved);
  }

  const models = new Map<string, ResolvedModel>();
  for (const [name, model] of Object.entries(doc.models)) {
    if (!(model.provider in doc.providers)) {
      issues.push({
        path: `models.${name}.provider`,
        message: `unknown provider "${model.provider}"${suggest(model.provider, Object.keys(doc.providers))}`,
      });
    }
    models.set(name, {
      name,
      providerId: model.provider,
      modelId: model.model_id,
      pricePerMTokUsd: { input: model.price_per_mtok_usd.input, output: model.price_per_mtok_usd.output },
      contextWindowTokens: model.context_window,
      maxOutputTokens: model.max_output_tokens,
      capabilities: { jsonMode: model.capabilities.json_mode, logprobs: model.capabilities.logprobs },
    });
  }

  const tiers: ResolvedTier[] = [];
  const seenTiers = new Set<string>();
  doc.tiers.forEach((tier, rank) => {
    if (seenTiers.has(tier.name)) {
      issues.push({ path: `tiers[${rank}].name`, message: `duplicate tier name "${tier.name}"` });
    }
    seenTiers.add(tier.name);
    const deployments: ResolvedDeployment[] = [];
    tier.deployments.forEach((deployment, index) => {
      const model = models.get(deployment.model);
      const provider = model ? providers.get(model.providerId) : undefined;
      if (!model) {
        issues.push({
          path: `tiers[${rank}].deployments[${index}].model`,
          message: `unknown model "${deployment.model}"${suggest(deployment.model, models.keys())}`,
        });
        return;
      }
      if (!provider) return; // reported under models.<name>.provider
      deployments.push({
        id: `${tier.name}/${deployment.model}`,
        model,
        provider,
        rpm: deployment.rpm,
        tpm: deployment.tpm,
      });
    });
    tiers.push({
      name: tier.name,
      rank,
      deployments,
      concurrency: { interactive: tier.concurrency.interactive, batch: tier.concurrency.batch },
      hedge: tier.hedge,
      timeLimits: {
        interactive: {
          softMs: tier.time_limits.interactive.soft_ms,
          hardMs: tier.time_limits.interactive.hard_ms,
        },
        batch: { softMs: tier.time_limits.batch.soft_ms, hardMs: tier.time_limits.batch.hard_ms },
      },
    });
  });

  const tasks = new Map<string, ResolvedTask>();
  for (const [name, task] of Object.entries(doc.tasks)) {
    if (!seenTiers.has(task.default_tier)) {
      issues.push({
        path: `tasks.${name}.default_tier`,
        message: `unknown tier "${task.default_tier}"${suggest(task.default_tier, seenTiers)}`,
      });
    }
    const customNames = new Set(task.custom_checks.map((check) => check.name));
    task.checks.forEach((check, index) => {
      if (!(BUILT_IN_CHECKS as readonly string[]).includes(check) && !customNames.has(check)) {
        issues.push({
          path: `tasks.${name}.checks[${index}]`,
          message: `unknown check "${check}"; built-in: ${BUILT_IN_CHECKS.join(", ")}, or declare it in custom_checks`,
        });
      }
    });
    if (task.map_reduce && task.map_reduce.overlap_tokens * 2 > task.map_reduce.chunk_tokens) {
      issues.push({
        path: `tasks.${name}.map_reduce.overlap_tokens`,
        message: `must be at most half of chunk_tokens (${task.map_reduce.chunk_tokens}), or every part would be mostly repeats`,
      });
    }
    const configDir = source.startsWith("<") ? process.cwd() : dirname(source);
    tasks.set(name, {
      name,
      defaultTier: task.default_tier,
      maxOutputTokens: task.max_output_tokens,
      checks: task.checks,
      customChecks: task.custom_checks.map((check) => ({
        name: check.name,
        module: isAbsolute(check.module) ? check.module : resolvePath(configDir, check.module),
      })),
      selfReportedConfidence: task.self_reported_confidence,
      expectedOutputTokens: task.expected_output_tokens,
      escalation: {
        minConfidence: task.escalation.min_confidence,
        onQualityFailure: task.escalation.on_quality_failure,
        maxEscalations: task.escalation.max_escalations,
      },
      mapReduce: task.map_reduce && {
        chunkTokens: task.map_reduce.chunk_tokens,
        overlapTokens: task.map_reduce.overlap_tokens,
        maxParts: task.map_reduce.max_parts,
        maxLevels: task.map_reduce.max_levels,
      },
    });
  }

  const rules: ResolvedRule[] = doc.routing.rules.map((rule, index) => {
    const path = `routing.rules[${index}]`;
    for (const [field, tierName] of [
      ["tier", rule.tier],
      ["max_tier", rule.max_tier],
    ] as const) {
      if (tierName !== undefined && !seenTiers.has(tierName)) {
        issues.push({
          path: `${path}.${field}`,
          message: `unknown tier "${tierName}"${suggest(tierName, seenTiers)}`,
        });
      }
    }
    rule.providers?.forEach((provider, i) => {
      if (!(provider in doc.providers)) {
        issues.push({ path: `${path}.providers[${i}]`, message: `unknown provider "${provider}"` });
      }
    });
    rule.when.task?.forEach((taskName, i) => {
      if (!(taskName in doc.tasks))
        issues.push({ path: `${path}.when.task[${i}]`, message: `unknown task "${taskName}"` });
    });
    let pattern: RegExp | undefined;
    if (rule.when.pattern !== undefined) {
      try {
        pattern = new RegExp(rule.when.pattern, "i");
      } catch (error) {
        issues.push({
          path: `${path}.when.pattern`,
          message: `not a valid regular expression: ${(error as Error).message}`,
        });
      }
    }
    return {
      name: rule.name,
      tier: rule.tier,
      maxTier: rule.max_tier,
      providers: rule.providers,
      when: {
        task: rule.when.task,
        minInputTokens: rule.when.min_input_tokens,
        maxInputTokens: rule.when.max_input_tokens,
        pattern,
        patternSource: rule.when.pattern,
        responseFormat: rule.when.response_format,
        tenant: rule.when.tenant,
        metadata: rule.when.metadata,
      },
    };
  });
  if (doc.jobs.events_retention_s !== undefined && doc.jobs.events_retention_s > doc.jobs.retention_s) {
    // A stream outliving its record would answer for a job that GET /v1/jobs/{id} no longer knows.
    issues.push({
      path: "jobs.events_retention_s",
      message: `must be at most jobs.retention_s (${doc.jobs.retention_s}), got ${doc.jobs.events_retention_s}`,
    });
  }
  if (!tasks.has(doc.jobs.default_task)) {
    issues.push({ path: "jobs.default_task", message: `unknown task "${doc.jobs.default_task}"` });
  }
  const admin = resolveAdmin(
    doc.admin,
    tiers.map((tier) => tier.name),
    issues,
  );

  if (issues.length > 0) return { config: undefined, issues };
  return {
    issues: [],
    config: {
      source,
      simulatorUrl: doc.simulator.base_url,
      redis: { keyPrefix: doc.redis.key_prefix },
      api: {
        bodyLimitBytes: doc.api.body_limit_bytes,
        rateLimit: {
          requestsPerMinute: doc.api.rate_limit.requests_per_minute,
          burst: doc.api.rate_limit.burst,
        },
      },
      jobs: {
        defaultTask: doc.jobs.default_task,
        maxAttempts: doc.jobs.max_attempts,
        fallbackToNextTier: doc.jobs.fallback_to_next_tier,
        deadlineSeconds: { interactive: doc.jobs.deadline_s.interactive, batch: doc.jobs.deadline_s.batch },
        retentionSeconds: doc.jobs.retention_s,
        // Unset, it follows a retention shortened below a day rather than refusing that config.
        eventsRetentionSeconds:
          doc.jobs.events_retention_s ?? Math.min(DEFAULT_EVENTS_RETENTION_S, doc.jobs.retention_s),
      },
      batches: {
        // Both times were checked by the schema.
        window: doc.batches.window && {
          startMinutes: parseTimeOfDay(doc.batches.window.start) ?? 0,
          endMinutes: parseTimeOfDay(doc.batches.window.end) ?? 0,
          timeZone: doc.batches.window.time_zone,
        },
      },
      auth: { apiKeys: doc.auth.api_keys, operatorTokens: doc.auth.operator_tokens },
      admin,
      dispatch: {
        reservedInteractiveShare: doc.dispatch.reserved_interactive_share,
        breaker: {
          failureThreshold: doc.dispatch.breaker.failure_threshold,
          failureWindowMs: doc.dispatch.breaker.failure_window_ms,
          coolDownMs: doc.dispatch.breaker.cool_down_ms,
        },
      },
      webhooks: {
        allowPrivateTargets: doc.webhooks.allow_private_targets,
        timeoutMs: doc.webhooks.timeout_ms,
        scheduleScale: doc.webhooks.schedule_scale,
      },
      providers,
      models,
      tiers,
      tasks,
      rules,
    },
  };
}

function resolveProvider(
  id: string,
  provider: ProviderDoc,
  env: Readonly<Record<string, string | undefined>>,
  simulatorUrl: string,
  issues: ConfigIssue[],
  options: ResolveOptions,
): ResolvedProvider | undefined {
  const path = `providers.${id}`;
  if (provider.protocol !== undefined && provider.kind !== "simulated") {
    issues.push({ path: `${path}.protocol`, message: `only a "simulated" provider takes a protocol` });
  }
  if (provider.kind === "openai-compatible" && provider.base_url === undefined) {
    issues.push({ path: `${path}.base_url`, message: "required for an openai-compatible provider" });
  }
  if (provider.simulate_without_key && provider.api_key_env === undefined) {
    issues.push({
      path: `${path}.simulate_without_key`,
      message: "needs api_key_env to know whether the key is set",
    });
  }
  const apiKey = provider.api_key_env ? env[provider.api_key_env] || undefined : undefined;
  const protocol = provider.kind === "anthropic" ? "anthropic" : (provider.protocol ?? "openai");
  const common = { id, protocol, apiKeyEnv: provider.api_key_env, headers: provider.headers ?? {} } as const;

  if (provider.kind === "simulated") {
    return {
      ...common,
      kind: "simulated",
      // The simulator's root URL: the adapter adds the path each protocol needs.
      baseUrl: provider.base_url ?? simulatorUrl,
      apiKey,
      simulated: true,
      simulatedReason: "declared as kind simulated",
      label: id,
    };
  }
  if (apiKey === undefined && provider.simulate_without_key) {
    return {
      ...common,
      kind: "simulated",
      baseUrl: simulatorUrl,
      apiKey: undefined,
      simulated: true,
      simulatedReason: `${provider.api_key_env} is not set`,
      label: `simulated-${id}`,
    };
  }
  if (
    apiKey === undefined &&
    provider.kind !== "openai-compatible" &&
    options.requireProviderKeys !== false
  ) {
    issues.push({
      path: `${path}.api_key_env`,
      message: `environment variable ${provider.api_key_env ?? "(none named)"} is not set`,
    });
    return undefined;
  }
  return {
    ...common,
    kind: provider.kind,
    baseUrl: provider.base_url,
    apiKey,
    simulated: false,
    simulatedReason: undefined,
    label: id,
  };
}

/** ` (did you mean "gpt-4o"?)` when a known name is a few edits away (up to about half its length). */
function suggest(name: string, known: Iterable<string>): string {
  let best: string | undefined;
  let bestDistance = Math.max(2, Math.floor(name.length / 2)) + 1;
  for (const candidate of known) {
    const distance = editDistance(name, candidate);
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best === undefined ? "" : ` (did you mean "${best}"?)`;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, index) => index);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1);
      current.push(Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, substitution));
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}
