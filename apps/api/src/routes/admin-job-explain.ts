import type { RouterConfig } from "@llmr/config";
import type { JobEvents, JobStore } from "@llmr/core";
import {
  explainJob,
  JOB_ID_PATTERN,
  loadJobParts,
  renderExplanationText,
  StorageUnavailableError,
} from "@llmr/core";
import { Router } from "express";
import { HttpError, notFound } from "../http/http-error.ts";

export interface AdminJobExplainDeps {
  config: RouterConfig;
  store: JobStore;
  events: JobEvents;
}

const FORMATS = ["json", "text"] as const;
type Format = (typeof FORMATS)[number];

/**
 * `GET /v1/admin/jobs/{id}/explain` (operator): a job's story in words, built from its record and
 * its event stream (see `@llmr/core`'s `explainJob`): the rule or default behind its tier, every
 * attempt with its checks, confidence against the task's threshold, cost and outcome, every
 * escalation and its cause, and how it ended; for a long input summarized in parts, the split and
 * each part's own attempts and escalations (from the parts' records and streams) before the call
 * that combined them. JSON by default, `?format=text` for a terminal.
 * Operators see every tenant's jobs: the answer names the tenant.
 */
export function adminJobExplainRouter(deps: AdminJobExplainDeps): Router {
  const router = Router();
  router.get("/v1/admin/jobs/:id/explain", async (req, res) => {
    const format = parseFormat(req.query.format);
    const id = req.params.id as string;
    // A malformed id cannot exist: answer like an unknown one without touching Redis.
    if (!JOB_ID_PATTERN.test(id)) throw notFound();
    const [stored, events] = await Promise.all([deps.store.get(id), deps.events.history(id)]).catch(
      (error: unknown) => {
        throw new StorageUnavailableError(undefined, { cause: error });
      },
    );
    if (!stored) throw notFound();
    const { record } = stored;
    // A long input summarized in parts: each part's own record holds its escalations and status.
    const parts = await loadJobParts(deps, record).catch((error: unknown) => {
      throw new StorageUnavailableError(undefined, { cause: error });
    });
    const explanation = explainJob({
      record,
      events,
      parts,
      task: deps.config.tasks.get(record.job.task),
      startTier: deps.config.tiers.find((tier) => tier.name === record.job.routing.initial_tier),
    });
    req.log.info({ job_id: id, tenant: record.tenant }, "job explained to an operator");
    if (format === "text") {
      res.type("text/plain; charset=utf-8").send(renderExplanationText(explanation));
      return;
    }
    res.json(explanation);
  });
  return router;
}

function parseFormat(raw: unknown): Format {
  if (raw === undefined) return "json";
  if (typeof raw === "string" && (FORMATS as readonly string[]).includes(raw)) return raw as Format;
  throw new HttpError(400, "invalid_request_error", `format must be one of: ${FORMATS.join(", ")}`, {
    param: "format",
  });
}
