import type { RouterConfig } from "@llmr/config";
import type {
  JobEventHub,
  JobEvents,
  JobRecord,
  JobStore,
  PublicJob,
  RedisClient,
  StoredRecord,
  TierQueues,
} from "@llmr/core";
import {
  cancelJob,
  JOB_ID_PATTERN,
  JobNotCancellableError,
  JobRequestSchema,
  RedisKeys,
  RequestValidationError,
  requestIssuesFromZod,
  StorageUnavailableError,
  submitJob,
  TERMINAL_STATUSES,
} from "@llmr/core";
import { checkWebhookUrl } from "@llmr/webhooks";
import type { Request } from "express";
import { Router } from "express";
import { HttpError, notFound } from "../http/http-error.ts";
import { idempotency } from "../http/idempotency.ts";
import { requireJson } from "../http/require-json.ts";
import { streamJobEvents } from "./job-events-stream.ts";

/** Longest a `GET /v1/jobs/{id}?wait=N` may hold the answer, in seconds (the contract's bound). */
const MAX_WAIT_S = 60;

export interface JobsRouteDeps {
  config: RouterConfig;
  redis: RedisClient;
  store: JobStore;
  queues: TierQueues;
  events: JobEvents;
  hub: JobEventHub;
  /** Called once per accepted job (not for an idempotent replay), e.g. to count it; in memory only. */
  onSubmitted?: (record: JobRecord) => void;
  /** Called once by the request whose write cancelled a job. */
  onCancelled?: (record: JobRecord) => void;
}

/** The job routes of the contract: submit, read (optionally waiting), stream events, cancel. */
export function jobsRouter(deps: JobsRouteDeps): Router {
  const router = Router();
  const keys = new RedisKeys(deps.config.redis.keyPrefix);

  router.post("/v1/jobs", requireJson(), idempotency(deps.redis, keys), async (req, res) => {
    const parsed = JobRequestSchema.safeParse(req.body);
    if (!parsed.success) throw new RequestValidationError(requestIssuesFromZod(parsed.error));
    const request = parsed.data;
    if (request.webhook) {
      // Webhook URLs are user input aimed at our network: refused unless every address is public.
      const allowPrivate = deps.config.webhooks.allowPrivateTargets;
      const check = await checkWebhookUrl(request.webhook.url, { allowPrivate });
      if (!check.ok) throw new RequestValidationError([{ param: "webhook.url", message: check.reason }]);
      request.webhook = { url: check.url };
    }
    const record = await submitJob(deps, res.locals.tenant, request);
    deps.onSubmitted?.(record);
    req.log.info(
      { job_id: record.job.id, tenant: record.tenant, class: record.job.class, tier: record.job.tier },
      `job accepted: ${record.job.routing.reason}`,
    );
    res
      .status(202)
      .location(`/v1/jobs/${record.job.id}`)
      .json(record.job satisfies PublicJob);
  });

  router.get("/v1/jobs/:id", async (req, res) => {
    const waitS = parseWait(req);
    let stored = await ownRecord(deps, req.params.id as string, res.locals.tenant);
    if (waitS > 0 && !TERMINAL_STATUSES.has(stored.record.job.status)) {
      stored = await waitForFinish(deps, req, stored, waitS);
    }
    res.json(stored.record.job);
  });

  router.get("/v1/jobs/:id/events", async (req, res) => {
    const stored = await ownRecord(deps, req.params.id as string, res.locals.tenant);
    await streamJobEvents(
      { events: deps.events, hub: deps.hub, store: deps.store },
      stored.record.job,
      req,
      res,
    );
  });

  router.post("/v1/jobs/:id/cancel", async (req, res) => {
    const id = req.params.id as string;
    if (!JOB_ID_PATTERN.test(id)) throw notFound();
    let job: PublicJob | undefined;
    try {
      job = await cancelJob(deps, res.locals.tenant, id);
    } catch (error) {
      if (error instanceof JobNotCancellableError) throw new HttpError(409, "conflict_error", error.message);
      throw new StorageUnavailableError(undefined, { cause: error });
    }
    if (!job) throw notFound();
    req.log.info({ job_id: id }, "job cancelled");
    res.json(job);
  });

  return router;
}

/** The tenant's record, or 404 (also for another tenant's job and for ids we never issue). */
async function ownRecord(deps: JobsRouteDeps, id: string, tenant: string): Promise<StoredRecord> {
  // A malformed id cannot exist: answer like an unknown one without touching Redis.
  if (!JOB_ID_PATTERN.test(id)) throw notFound();
  const stored = await deps.store.get(id).catch((error: unknown) => {
    throw new StorageUnavailableError(undefined, { cause: error });
  });
  // Another tenant's job is indistinguishable from a job that does not exist.
  if (!stored || stored.record.tenant !== tenant) throw notFound();
  return stored;
}

function parseWait(req: Request): number {
  const raw = req.query.wait;
  if (raw === undefined) return 0;
  const value = typeof raw === "string" && /^\d+(\.\d+)?$/.test(raw) ? Number(raw) : Number.NaN;
  if (!Number.isFinite(value) || value > MAX_WAIT_S) {
    throw new HttpError(
      400,
      "invalid_request_error",
      `wait must be a number of seconds from 0 to ${MAX_WAIT_S}`,
      {
        param: "wait",
      },
    );
  }
  return value;
}

/**
 * Holds the answer until the job's final event, `waitS` passes or the client goes away. It listens
 * on the process's one event subscription (no Redis traffic per waiting client), then reads the
 * record once more: a job that finished between the first read and the subscription is caught.
 */
async function waitForFinish(deps: JobsRouteDeps, req: Request, first: StoredRecord, waitS: number) {
  const id = first.record.job.id;
  await deps.hub.start().catch((error: unknown) => {
    throw new StorageUnavailableError(undefined, { cause: error });
  });
  let release: () => void = () => undefined;
  const finished = new Promise<void>((resolve) => {
    const unlisten = deps.hub.listen(id, (notice) => {
      if (notice.type === "job") resolve();
    });
    const timer = setTimeout(resolve, waitS * 1000);
    const onClose = () => resolve();
    req.once("close", onClose);
    release = () => {
      unlisten();
      clearTimeout(timer);
      req.off("close", onClose);
    };
  });
  try {
    const again = (await deps.store.get(id)) ?? first;
    if (TERMINAL_STATUSES.has(again.record.job.status)) return again;
    await finished;
    return (await deps.store.get(id)) ?? again;
  } finally {
    release();
  }
}
