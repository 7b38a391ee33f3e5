import type { ResolvedDeployment, ResolvedTier } from "@llmr/config";
import { eligibleDeployments } from "@llmr/routing";
import type { RouteConstraints } from "./job-record.ts";

/** The tier's deployments that can serve a job with these constraints, in the tier's order. */
export function deploymentsFor(tier: ResolvedTier, constraints: RouteConstraints): ResolvedDeployment[] {
  return eligibleDeployments(tier, constraints.requirements);
}
