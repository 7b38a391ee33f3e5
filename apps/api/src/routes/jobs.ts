import type { RouterConfig } from "@llmr/config";
import type { JobStore, PublicJob, TierQueues } from "@llmr/core";
import {
  JOB_ID_PATTERN,
  JobRequestSchema,
  RequestValidationError,
  requestIssuesFromZod,
  StorageUnavailableError,
  submitJob,
} from "@llmr/core";
import { Router } from "express";
import { notFound } from "../http/http-error.ts";
import { requireJson } from "../http/require-json.ts";

export interface JobsRouteDeps {
  config: RouterConfig;
  store: JobStore;
  queues: TierQueues;
}

/** `POST /v1/jobs` and `GET /v1/jobs/{id}` as the contract defines them. */
export function jobsRouter(deps: JobsRouteDeps): Router {
  const router = Router();

  router.post("/v1/jobs", requireJson(), async (req, res) => {
    const parsed = JobRequestSchema.safeParse(req.body);
    if (!parsed.success) throw new RequestValidationError(requestIssuesFromZod(parsed.error));
    const record = await submitJob(deps, res.locals.tenant, parsed.data);
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
    const id = req.params.id;
    // A malformed id cannot exist: answer like an unknown one without touching Redis.
    if (!JOB_ID_PATTERN.test(id)) throw notFound();
    const stored = await deps.store.get(id).catch((error: unknown) => {
      throw new StorageUnavailableError(undefined, { cause: error });
    });
    // Another tenant's job is indistinguishable from a job that does not exist.
    if (!stored || stored.record.tenant !== res.locals.tenant) throw notFound();
    res.json(stored.record.job);
  });

  return router;
}
