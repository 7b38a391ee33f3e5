import type { JobStore } from "@llmr/core";
import { JOB_ID_PATTERN, StorageUnavailableError } from "@llmr/core";
import type { WebhookDeliveries, WebhookSecrets } from "@llmr/webhooks";
import { DeliveryInFlightError, DeliveryNotFoundError } from "@llmr/webhooks";
import { Router } from "express";
import { HttpError, notFound } from "../http/http-error.ts";

export interface WebhookRouteDeps {
  store: JobStore;
  secrets: WebhookSecrets;
  deliveries: WebhookDeliveries;
}

/**
 * The calling key's signing secrets (`whsec_…`; during a rotation both sign every delivery) and a
 * job's delivery log, with re-sending. Another tenant's job answers 404.
 */
export function webhooksRouter(deps: WebhookRouteDeps): Router {
  const router = Router();

  router.get("/v1/webhooks/secret", async (_req, res) => {
    res.json({ object: "list", data: await deps.secrets.list(res.locals.tenant) });
  });

  router.post("/v1/webhooks/secret/rotate", async (req, res) => {
    const secrets = await deps.secrets.rotate(res.locals.tenant);
    req.log.info({ tenant: res.locals.tenant }, "webhook secret rotated");
    res.json({ object: "list", data: secrets });
  });

  router.get("/v1/jobs/:id/deliveries", async (req, res) => {
    const id = await ownJobId(deps, req.params.id as string, res.locals.tenant);
    res.json({ object: "list", data: await deps.deliveries.listDeliveries(res.locals.tenant, id) });
  });

  router.post("/v1/jobs/:id/deliveries/:delivery_id/retry", async (req, res) => {
    const id = await ownJobId(deps, req.params.id as string, res.locals.tenant);
    try {
      res.json(await deps.deliveries.retryDelivery(res.locals.tenant, id, req.params.delivery_id as string));
    } catch (error) {
      if (error instanceof DeliveryNotFoundError) throw notFound("delivery");
      if (error instanceof DeliveryInFlightError) {
        throw new HttpError(
          409,
          "conflict_error",
          "this delivery is still being attempted; retry it once it has ended",
        );
      }
      throw error;
    }
  });

  return router;
}

async function ownJobId(deps: WebhookRouteDeps, id: string, tenant: string): Promise<string> {
  if (!JOB_ID_PATTERN.test(id)) throw notFound();
  const stored = await deps.store.get(id).catch((error: unknown) => {
    throw new StorageUnavailableError(undefined, { cause: error });
  });
  if (!stored || stored.record.tenant !== tenant) throw notFound();
  return id;
}
