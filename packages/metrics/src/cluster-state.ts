import type { RouterConfig } from "@llmr/config";
import { JOB_CLASSES } from "@llmr/config";
import type { DispatchGates, TierQueues } from "@llmr/core";
import type { ClusterState } from "./cluster-gauges.ts";
import { QUEUE_STATES } from "./cluster-gauges.ts";

/**
 * Reads the cluster state the gauges show: BullMQ's job counts of every tier × class queue and the
 * breaker of every deployment, all in parallel (one round trip's worth on one connection).
 */
export function clusterStateFrom(
  config: Pick<RouterConfig, "tiers">,
  queues: Pick<TierQueues, "get">,
  gates: Pick<DispatchGates, "breaker">,
): () => Promise<ClusterState> {
  const pairs = config.tiers.flatMap((tier) =>
    JOB_CLASSES.map((jobClass) => ({ tier: tier.name, jobClass })),
  );
  const deployments = config.tiers.flatMap((tier) => tier.deployments.map((deployment) => deployment.id));
  return async () => {
    const [counted, breakers] = await Promise.all([
      Promise.all(
        pairs.map(async ({ tier, jobClass }) => ({
          tier,
          jobClass,
          counts: await queues.get(tier, jobClass).getJobCounts(...QUEUE_STATES),
        })),
      ),
      gates.breaker.states(deployments),
    ]);
    return {
      queues: counted,
      breakers: breakers.map(({ deployment, state }) => ({ deployment, state })),
    };
  };
}
