import { ErrorEnvelopeSchema, JobExplanationSchema, JobObjectSchema, JobRequestSchema } from "@llmr/core";
import { z } from "zod";
import { batchPaths, batchSchemas } from "./batch-paths.ts";

type Json = Record<string, unknown>;

const schema = (zodSchema: z.ZodType, io: "input" | "output") =>
  z.toJSONSchema(zodSchema, { target: "draft-2020-12", io, unrepresentable: "any" }) as Json;

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const json = (name: string) => ({ "application/json": { schema: ref(name) } });
const error = (description: string) => ({ description, content: json("Error") });
const jobId = { name: "id", in: "path", required: true, schema: { type: "string", pattern: "^job_" } };

/**
 * The HTTP API as an OpenAPI 3.1 document, built from the same zod schemas that validate requests
 * (and describe the job object), so the document cannot drift from the code.
 */
export function openApiDocument(serverUrl?: string): Json {
  return {
    openapi: "3.1.0",
    info: {
      title: "llmr: queue-backed LLM job router",
      version: "1.0.0",
      description:
        "Submit LLM work as jobs; poll, long-poll or stream them. Every non-2xx answer is the error envelope.",
    },
    ...(serverUrl ? { servers: [{ url: serverUrl }] } : {}),
    security: [{ apiKey: [] }],
    components: {
      securitySchemes: {
        apiKey: { type: "http", scheme: "bearer", description: "An API key." },
        operator: {
          type: "http",
          scheme: "bearer",
          description:
            "The operator credential (`LLMR_OPERATOR_TOKEN`); also accepted as the password of HTTP Basic.",
        },
      },
      schemas: {
        JobRequest: schema(JobRequestSchema, "input"),
        Job: schema(JobObjectSchema, "output"),
        Error: schema(ErrorEnvelopeSchema, "output"),
        JobExplanation: schema(JobExplanationSchema, "output"),
        ...batchSchemas(),
      },
    },
    paths: {
      "/v1/jobs": {
        post: {
          operationId: "createJob",
          summary: "Submit a job",
          parameters: [
            {
              name: "Idempotency-Key",
              in: "header",
              required: false,
              schema: { type: "string", maxLength: 255 },
              description: "Same key and body within 24 h: the same job and answer.",
            },
          ],
          requestBody: { required: true, content: json("JobRequest") },
          responses: {
            "202": {
              description: "Stored durably and queued.",
              headers: { Location: { schema: { type: "string" } } },
              content: json("Job"),
            },
            "400": error("The body fails the schema; `param` names the field."),
            "401": error("Missing or unknown API key."),
            "409": error("The same Idempotency-Key is still in flight."),
            "413": error("Body over the limit."),
            "415": error("Not application/json."),
            "422": error("Idempotency-Key reused with another body."),
            "429": error("Per-key request limit; see Retry-After."),
            "503": error("Redis unreachable: nothing was accepted."),
          },
        },
      },
      "/v1/jobs/{id}": {
        get: {
          operationId: "getJob",
          summary: "Read a job, optionally waiting for it to finish",
          parameters: [
            jobId,
            {
              name: "wait",
              in: "query",
              required: false,
              schema: { type: "number", minimum: 0, maximum: 60 },
              description: "Hold the answer up to this many seconds until the job finishes.",
            },
          ],
          responses: {
            "200": { description: "The job.", content: json("Job") },
            "400": error("Bad `wait`."),
            "401": error("Missing or unknown API key."),
            "404": error("Unknown id, or another tenant's job."),
            "503": error("Redis unreachable."),
          },
        },
      },
      "/v1/jobs/{id}/events": {
        get: {
          operationId: "streamJobEvents",
          summary: "Server-Sent Events: status, attempt, slow, escalated, and the final job",
          parameters: [
            jobId,
            {
              name: "Last-Event-ID",
              in: "header",
              required: false,
              schema: { type: "string" },
              description:
                "Resume after this event. Once a finished job's events have expired (`jobs.events_retention_s`), the stream sends only its final `job` event, from the job's record.",
            },
          ],
          responses: {
            "200": {
              description: "An event stream.",
              content: { "text/event-stream": { schema: { type: "string" } } },
            },
            "401": error("Missing or unknown API key."),
            "404": error("Unknown id, or another tenant's job."),
          },
        },
      },
      "/v1/jobs/{id}/cancel": {
        post: {
          operationId: "cancelJob",
          summary: "Cancel a queued or running job",
          parameters: [jobId],
          responses: {
            "200": { description: "The job, cancelled.", content: json("Job") },
            "401": error("Missing or unknown API key."),
            "404": error("Unknown id, or another tenant's job."),
            "409": error("The job already finished."),
          },
        },
      },
      "/v1/admin/jobs/{id}/explain": {
        get: {
          operationId: "explainJob",
          summary: "Operator: a job's routing decisions and attempts, in words",
          description:
            "Any tenant's job (the answer names the tenant): the rule or task default behind its starting tier and what capped it, every attempt (deployments skipped, provider, model, outcome, tokens, latency, cost), each answer's quality checks and confidence against the task's min_confidence, every escalation and its cause (low_confidence, quality_failed, fallback), and how it ended. Built from the job's record and event stream; an extension of the contract.",
          security: [{ operator: [] }],
          parameters: [
            jobId,
            {
              name: "format",
              in: "query",
              required: false,
              schema: { type: "string", enum: ["json", "text"], default: "json" },
              description: "`text`: plain text lines for a terminal instead of JSON.",
            },
          ],
          responses: {
            "200": {
              description: "The explanation.",
              content: {
                ...json("JobExplanation"),
                "text/plain": { schema: { type: "string" } },
              },
            },
            "400": error("Bad `format`."),
            "401": error("Missing or unknown operator credential (an API key is not one)."),
            "404": error("Unknown id."),
            "503": error("Redis unreachable."),
          },
        },
      },
      ...batchPaths(),
      "/healthz": {
        get: {
          operationId: "health",
          security: [],
          responses: { "200": { description: "The process is up." } },
        },
      },
      "/metrics": {
        get: {
          operationId: "metrics",
          summary: "Prometheus metrics",
          description:
            "This API process's metrics and the cluster gauges (queue depth, breaker states) read from Redis at scrape time, in the Prometheus text format. Every name starts with `llmr_`; see packages/metrics/README.md.",
          security: [{ operator: [] }],
          responses: {
            "200": {
              description: "The metrics.",
              content: { "text/plain; version=0.0.4": { schema: { type: "string" } } },
            },
            "401": error("Missing or unknown operator credential."),
          },
        },
      },
      "/readyz": {
        get: {
          operationId: "ready",
          security: [],
          responses: {
            "200": { description: "Redis answers and is safe to use." },
            "503": error("Not ready."),
          },
        },
      },
    },
  };
}
