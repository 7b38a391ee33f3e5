import { Router } from "express";
import type { KeyRing } from "../auth/key-ring.ts";
import { requireOperator } from "../auth/require-operator.ts";

/** A prom-client registry, as far as the route needs it. */
export interface MetricsSource {
  readonly contentType: string;
  metrics(): Promise<string>;
}

/**
 * `GET /metrics` (operator credential, as a Bearer token for Prometheus): this process's own
 * metrics plus the cluster gauges, read from Redis while the scrape waits (bounded by their timeout).
 */
export function metricsRouter(source: MetricsSource, operators: KeyRing): Router {
  const router = Router();
  router.get("/metrics", requireOperator(operators), async (_req, res) => {
    const body = await source.metrics();
    res.set("cache-control", "no-store").type(source.contentType).send(body);
  });
  return router;
}
