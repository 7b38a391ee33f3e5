import type { ResolvedDeployment, ResolvedTier } from "@llmr/config";
import { formatCount } from "./format-count.ts";
import type { RouteRequirements } from "./route-types.ts";

/**
 * The deployments of `tier` that can take a job with these requirements, in the tier's order
 * (first choice first). Empty when none can.
 *
 * @example
 * const [first] = eligibleDeployments(tier, decision.requirements);
 */
export function eligibleDeployments(
  tier: ResolvedTier,
  requirements: RouteRequirements,
): ResolvedDeployment[] {
  return tier.deployments.filter((deployment) => deploymentMeets(deployment, requirements));
}

/** True when the deployment offers every capability the job needs. */
export function deploymentMeets(deployment: ResolvedDeployment, requirements: RouteRequirements): boolean {
  const { capabilities, contextWindowTokens, providerId } = deployment.model;
  if (requirements.jsonMode && !capabilities.jsonMode) return false;
  if (requirements.logprobs && !capabilities.logprobs) return false;
  if (contextWindowTokens < requirements.contextTokens) return false;
  return requirements.providers === undefined || requirements.providers.includes(providerId);
}

/** One requirement no deployment met, named for a reason and for the request field to blame. */
export interface UnmetRequirement {
  /** Reads after `no deployment of "fast"`: `offers JSON mode`, `has a context window of 130,000 tokens …`. */
  words: string;
  param: string;
}

/**
 * Why none of `deployments` can take the job: each requirement that no deployment meets on its own,
 * or, when each is met by some deployment but never all by one, the requirements together.
 */
export function unmetRequirements(
  deployments: readonly ResolvedDeployment[],
  requirements: RouteRequirements,
): UnmetRequirement[] {
  const context = `has a context window of ${formatCount(requirements.contextTokens)} tokens (input + max output)`;
  const allowed = requirements.providers ?? [];
  const providers =
    allowed.length > 0
      ? `is served by ${allowed.map((id) => `"${id}"`).join(" or ")}`
      : "is served by an allowed provider (the matching rules' provider lists have none in common)";
  const all: Array<UnmetRequirement & { met: (deployment: ResolvedDeployment) => boolean }> = [
    {
      words: context,
      param: "messages",
      met: (d) => d.model.contextWindowTokens >= requirements.contextTokens,
    },
  ];
  if (requirements.jsonMode) {
    all.push({
      words: "offers JSON mode",
      param: "response_format",
      met: (d) => d.model.capabilities.jsonMode,
    });
  }
  if (requirements.logprobs) {
    all.push({ words: "returns logprobs", param: "logprobs", met: (d) => d.model.capabilities.logprobs });
  }
  if (requirements.providers !== undefined) {
    all.push({ words: providers, param: "metadata", met: (d) => allowed.includes(d.model.providerId) });
  }
  const single = all.filter((requirement) => !deployments.some(requirement.met));
  // Each is met somewhere but never all by one deployment: name those that rule some deployment out.
  const unmet = single.length > 0 ? single : all.filter((requirement) => !deployments.every(requirement.met));
  return unmet.map(({ words, param }) => ({ words, param }));
}
