import type { JobClass, ResolvedTier, RouterConfig } from "@llmr/config";
import { chooseRoute } from "@llmr/routing";
import type { RequestIssue } from "./errors/request-validation-error.ts";
import { RequestValidationError } from "./errors/request-validation-error.ts";
import type { NormalizedRequest, RouteConstraints } from "./job-record.ts";
import type { JobRequest } from "./job-request.ts";

export interface RoutedRequest {
  class: JobClass;
  task: string;
  initialTier: ResolvedTier;
  maxTier: ResolvedTier;
  /** Why this tier, in words (shown in `routing.reason` and the log). */
  reason: string;
  route: RouteConstraints;
  request: NormalizedRequest;
  metadata: Record<string, string>;
}

/**
 * Checks a schema-valid request against the config (task and tiers exist), applies the task's
 * defaults and routes it: the routing rules, the pinned `tier` and `max_tier`, and the
 * deployments' capabilities decide the starting tier (see `@llmr/routing`'s `chooseRoute`).
 * Throws `RequestValidationError` naming the field.
 */
export function normalizeRequest(request: JobRequest, config: RouterConfig, tenant: string): RoutedRequest {
  const issues: RequestIssue[] = [];
  const taskName = request.task ?? config.jobs.defaultTask;
  const task = config.tasks.get(taskName);
  if (!task)
    issues.push({
      param: "task",
      message: `unknown task "${taskName}"; known: ${known(config.tasks.keys())}`,
    });
  for (const param of ["tier", "max_tier"] as const) {
    const name = request[param];
    if (name !== undefined && !config.tiers.some((tier) => tier.name === name)) {
      issues.push({
        param,
        message: `unknown tier "${name}"; known: ${known(config.tiers.map((tier) => tier.name))}`,
      });
    }
  }
  if (issues.length > 0 || !task) throw new RequestValidationError(issues);

  const messages = request.messages ?? [{ role: "user" as const, content: request.input ?? "" }];
  const maxOutputTokens = request.max_output_tokens ?? task.maxOutputTokens;
  const metadata = request.metadata ?? {};
  const decision = chooseRoute(
    {
      task: task.name,
      messages,
      responseFormat: request.response_format?.type ?? "text",
      maxOutputTokens,
      tenant,
      metadata,
      ...(request.tier === undefined ? {} : { pinnedTier: request.tier }),
      ...(request.max_tier === undefined ? {} : { requestedMaxTier: request.max_tier }),
    },
    config,
  );
  if (decision.refused)
    throw new RequestValidationError([{ param: decision.param, message: decision.message }]);
  const split = task.mapReduce;
  if (split && decision.inputTokens > split.maxParts * (split.chunkTokens - split.overlapTokens)) {
    throw new RequestValidationError([
      {
        param: request.messages ? "messages" : "input",
        message: `${decision.inputTokens} tokens would need more than ${split.maxParts} parts of ${split.chunkTokens} tokens (the task's map_reduce.max_parts)`,
      },
    ]);
  }

  return {
    class: request.class,
    task: task.name,
    initialTier: tierNamed(config, decision.initialTier),
    maxTier: tierNamed(config, decision.maxTier),
    reason: decision.reason,
    route: {
      requirements: decision.requirements,
      input_tokens: decision.inputTokens,
      rule: decision.rule ?? null,
      matched_rules: decision.matchedRules,
    },
    metadata,
    request: {
      messages,
      response_format: request.response_format,
      max_output_tokens: maxOutputTokens,
      temperature: request.temperature,
      timeouts: { soft_ms: request.timeouts?.soft_ms, hard_ms: request.timeouts?.hard_ms },
      webhook_url: request.webhook?.url,
    },
  };
}

function tierNamed(config: RouterConfig, name: string): ResolvedTier {
  const tier = config.tiers.find((candidate) => candidate.name === name);
  if (!tier) throw new Error(`routing chose unknown tier "${name}"`);
  return tier;
}

function known(names: Iterable<string>): string {
  return [...names].join(", ");
}
