import type { RouterConfig } from "@llmr/config";
import type { DispatchGates } from "@llmr/core";
import { Router } from "express";

/**
 * `GET /v1/admin/deployments` (operator): every deployment with its circuit breaker's state and
 * its shared budget's use over the last minute, the same view every worker acts on.
 */
export function adminDeploymentsRouter(config: RouterConfig, gates: DispatchGates): Router {
  const router = Router();
  router.get("/v1/admin/deployments", async (_req, res) => {
    const deployments = config.tiers.flatMap((tier) =>
      tier.deployments.map((deployment) => ({ tier, deployment })),
    );
    const data = await Promise.all(
      deployments.map(async ({ tier, deployment }) => {
        const [breaker, usage] = await Promise.all([
          gates.breaker.state(deployment.id),
          gates.limiter.usage(deployment.id),
        ]);
        return {
          id: deployment.id,
          tier: tier.name,
          provider: deployment.provider.label,
          model: deployment.model.modelId,
          limits: { rpm: deployment.rpm ?? null, tpm: deployment.tpm ?? null },
          breaker,
          usage: {
            requests: usage.requests,
            tokens: usage.tokens,
            cooling_down_ms: usage.coolingDownMs,
            interactive_active: usage.interactiveActive,
          },
        };
      }),
    );
    res.json({ object: "list", data });
  });
  return router;
}
