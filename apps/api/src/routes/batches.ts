import type { ServerResponse } from "node:http";
import type { RouterConfig } from "@llmr/config";
import type {
  BatchCancelSweeps,
  BatchMeta,
  BatchSource,
  BatchStore,
  JobEvents,
  JobStore,
  TierQueues,
} from "@llmr/core";
import {
  BATCH_ID_PATTERN,
  BatchNotCancellableError,
  batchResults,
  cancelBatch,
  jsonBatchSource,
  ndjsonBatchSource,
  StorageUnavailableError,
  submitBatch,
} from "@llmr/core";
import { checkWebhookUrl } from "@llmr/webhooks";
import type { Request } from "express";
import { Router } from "express";
import { HttpError, notFound } from "../http/http-error.ts";

export interface BatchesRouteDeps {
  config: RouterConfig;
  store: JobStore;
  batches: BatchStore;
  queues: TierQueues;
  events: JobEvents;
  /** Where a cancel's sweep over the items runs once the cancel has answered. */
  cancelSweeps: BatchCancelSweeps;
  /** Told when a batch was accepted but queueing its items must be finished by the recovery. */
  onEnqueueDeferred?: (batchId: string, error: unknown) => void;
}

/**
 * The batch routes of the contract: submit (a JSON body, or an NDJSON upload read line by line as
 * it arrives), read with live counts, stream the results, cancel.
 */
export function batchesRouter(deps: BatchesRouteDeps): Router {
  const router = Router();

  router.post("/v1/batches", async (req, res) => {
    const submit = async () =>
      submitBatch(
        {
          ...deps,
          // Webhook URLs are user input aimed at our network: refused unless every address is public.
          checkWebhookUrl: (url) =>
            checkWebhookUrl(url, { allowPrivate: deps.config.webhooks.allowPrivateTargets }),
        },
        res.locals.tenant,
        await batchSource(req, deps.config.api.bodyLimitBytes),
      );
    const batch = await submit().catch((error: unknown) => {
      // The client went away mid-upload: the staged part is deleted; nobody reads this answer.
      if (req.is("application/x-ndjson") && !req.complete) {
        throw new HttpError(
          400,
          "invalid_request_error",
          "the upload ended before its last line; nothing was stored",
        );
      }
      throw error;
    });
    req.log.info(
      { batch_id: batch.id, tenant: res.locals.tenant, items: batch.counts.total },
      `batch accepted: ${batch.counts.total} items`,
    );
    res.status(202).location(`/v1/batches/${batch.id}`).json(batch);
  });

  router.get("/v1/batches/:id", async (req, res) => {
    const meta = await ownBatch(deps, req.params.id as string, res.locals.tenant);
    res.json(deps.batches.toPublic(meta));
  });

  router.get("/v1/batches/:id/results", async (req, res) => {
    const meta = await ownBatch(deps, req.params.id as string, res.locals.tenant);
    const lines = batchResults(deps, meta);
    // The first chunk is read before the answer starts, so a Redis outage is still a clean 503.
    let next = await lines.next().catch((error: unknown) => {
      throw new StorageUnavailableError(undefined, { cause: error });
    });
    res.status(200).type("application/x-ndjson");
    try {
      while (!next.done) {
        if (!res.write(`${JSON.stringify(next.value)}\n`) && !(await drained(res))) {
          await lines.return(undefined);
          return;
        }
        next = await lines.next();
      }
      res.end();
    } catch (error) {
      // Mid-stream there is no status left to send: cut the answer, which then lacks its end line.
      req.log.warn({ err: error, batch_id: meta.id }, "batch results cut short");
      res.destroy();
    }
  });

  router.post("/v1/batches/:id/cancel", async (req, res) => {
    const id = req.params.id as string;
    if (!BATCH_ID_PATTERN.test(id)) throw notFound("batch");
    const batch = await cancelBatch(deps, res.locals.tenant, id).catch((error: unknown) => {
      if (error instanceof BatchNotCancellableError)
        throw new HttpError(409, "conflict_error", error.message);
      throw new StorageUnavailableError(undefined, { cause: error });
    });
    if (!batch) throw notFound("batch");
    const stopping = batch.counts.queued + batch.counts.running;
    req.log.info(
      { batch_id: id, counts: batch.counts },
      stopping > 0 ? `batch cancelled; ${stopping} items still stopping` : "batch cancelled",
    );
    res.json(batch);
  });

  return router;
}

/** The body as a batch: JSON (parsed by the app's JSON middleware) or NDJSON (read as it streams). */
async function batchSource(req: Request, maxLineBytes: number): Promise<BatchSource> {
  if (req.is("application/x-ndjson")) return ndjsonBatchSource(req, maxLineBytes);
  if (req.is("application/json")) return jsonBatchSource(req.body);
  throw new HttpError(
    415,
    "unsupported_media_type",
    `Content-Type must be application/json or application/x-ndjson (got ${req.get("content-type") ?? "none"})`,
  );
}

/** The tenant's committed batch, or 404 (also for another tenant's and for one still being stored). */
async function ownBatch(deps: BatchesRouteDeps, id: string, tenant: string): Promise<BatchMeta> {
  if (!BATCH_ID_PATTERN.test(id)) throw notFound("batch");
  const meta = await deps.batches.get(id).catch((error: unknown) => {
    throw new StorageUnavailableError(undefined, { cause: error });
  });
  if (!meta || meta.state === "staging" || meta.tenant !== tenant) throw notFound("batch");
  return meta;
}

/** Waits until the client takes more (true) or goes away (false). */
function drained(res: ServerResponse): Promise<boolean> {
  return new Promise((resolve) => {
    const onDrain = () => {
      res.off("close", onClose);
      resolve(true);
    };
    const onClose = () => {
      res.off("drain", onDrain);
      resolve(false);
    };
    res.once("drain", onDrain);
    res.once("close", onClose);
  });
}
