import type { ResolvedTier, RouterConfig } from "@llmr/config";
import { deploymentsFor } from "./deployments-for.ts";
import type { RouteConstraints } from "./job-record.ts";

/**
 * The tier a job escalates to from `current`: the next tier up (`"next"`) or the highest tier
 * allowed (`"top"`), never above `maxTier`, skipping tiers with no deployment the job can use.
 * Undefined when there is nowhere higher to go.
 */
export function escalationTarget(
  config: RouterConfig,
  current: ResolvedTier,
  maxTierName: string,
  constraints: RouteConstraints,
  direction: "next" | "top",
): ResolvedTier | undefined {
  const maxRank = config.tiers.find((tier) => tier.name === maxTierName)?.rank ?? current.rank;
  const candidates = config.tiers.filter(
    (tier) =>
      tier.rank > current.rank && tier.rank <= maxRank && deploymentsFor(tier, constraints).length > 0,
  );
  return direction === "next" ? candidates[0] : candidates[candidates.length - 1];
}
