import type { JobClass, ResolvedTier, RouterConfig } from "@llmr/config";
import type { RequestIssue } from "./errors/request-validation-error.ts";
import { RequestValidationError } from "./errors/request-validation-error.ts";
import type { NormalizedRequest } from "./job-record.ts";
import type { JobRequest } from "./job-request.ts";

export interface RoutedRequest {
  class: JobClass;
  task: string;
  initialTier: ResolvedTier;
  maxTier: ResolvedTier;
  /** Why this tier, in words (shown in `routing.reason` and the log). */
  reason: string;
  request: NormalizedRequest;
  metadata: Record<string, string>;
}

/**
 * Checks a schema-valid request against the config (task and tiers exist, `tier` ≤ `max_tier`),
 * applies defaults and picks the starting tier: the pinned tier, else the task's default, capped
 * by `max_tier`. Throws `RequestValidationError` naming the field.
 */
export function normalizeRequest(request: JobRequest, config: RouterConfig): RoutedRequest {
  const issues: RequestIssue[] = [];
  const taskName = request.task ?? config.jobs.defaultTask;
  const task = config.tasks.get(taskName);
  if (!task)
    issues.push({
      param: "task",
      message: `unknown task "${taskName}"; known: ${known(config.tasks.keys())}`,
    });

  const tierNames = () => known(config.tiers.map((tier) => tier.name));
  const findTier = (name: string | undefined, param: string) => {
    if (name === undefined) return undefined;
    const tier = config.tiers.find((candidate) => candidate.name === name);
    if (!tier) issues.push({ param, message: `unknown tier "${name}"; known: ${tierNames()}` });
    return tier;
  };
  const pinned = findTier(request.tier, "tier");
  const ceiling = findTier(request.max_tier, "max_tier");
  if (pinned && ceiling && pinned.rank > ceiling.rank) {
    issues.push({ param: "tier", message: `tier "${pinned.name}" is above max_tier "${ceiling.name}"` });
  }
  if (issues.length > 0 || !task) throw new RequestValidationError(issues);

  const top = config.tiers[config.tiers.length - 1] as ResolvedTier;
  const maxTier = ceiling ?? top;
  let initialTier: ResolvedTier;
  let reason: string;
  if (pinned) {
    initialTier = pinned;
    reason = `tier "${pinned.name}" pinned by the request`;
  } else {
    const taskTier = config.tiers.find((tier) => tier.name === task.defaultTier) as ResolvedTier;
    initialTier = taskTier.rank > maxTier.rank ? maxTier : taskTier;
    reason =
      initialTier === taskTier
        ? `task "${task.name}" starts at its default tier "${taskTier.name}"`
        : `task "${task.name}" defaults to "${taskTier.name}", capped by max_tier "${maxTier.name}"`;
  }

  const messages = request.messages ?? [{ role: "user" as const, content: request.input ?? "" }];
  return {
    class: request.class,
    task: task.name,
    initialTier,
    maxTier,
    reason,
    metadata: request.metadata ?? {},
    request: {
      messages,
      response_format: request.response_format,
      max_output_tokens: request.max_output_tokens ?? task.maxOutputTokens,
      temperature: request.temperature,
      timeouts: { soft_ms: request.timeouts?.soft_ms, hard_ms: request.timeouts?.hard_ms },
      webhook_url: request.webhook?.url,
    },
  };
}

function known(names: Iterable<string>): string {
  return [...names].join(", ");
}
