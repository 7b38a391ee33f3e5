import {
  BatchItemSchema,
  BatchObjectSchema,
  BatchRequestSchema,
  BatchResultLineSchema,
  BatchResultsEndSchema,
} from "@llmr/core";
import { z } from "zod";

type Json = Record<string, unknown>;

const schema = (zodSchema: z.ZodType, io: "input" | "output") =>
  z.toJSONSchema(zodSchema, { target: "draft-2020-12", io, unrepresentable: "any" }) as Json;
const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const json = (name: string) => ({ "application/json": { schema: ref(name) } });
const error = (description: string) => ({ description, content: json("Error") });
const batchId = { name: "id", in: "path", required: true, schema: { type: "string", pattern: "^batch_" } };

/** The batch schemas of the OpenAPI document, from the zod schemas that validate and describe them. */
export function batchSchemas(): Json {
  return {
    // The route checks items one by one (so errors name them); the document shows what one holds.
    BatchRequest: schema(BatchRequestSchema.extend({ items: z.array(BatchItemSchema).min(1) }), "input"),
    BatchItem: schema(BatchItemSchema, "input"),
    Batch: schema(BatchObjectSchema, "output"),
    BatchResultLine: schema(BatchResultLineSchema, "output"),
    BatchResultsEnd: schema(BatchResultsEndSchema, "output"),
  };
}

/** The batch routes of the OpenAPI document. */
export function batchPaths(): Json {
  return {
    "/v1/batches": {
      post: {
        operationId: "createBatch",
        summary: "Submit a batch",
        description:
          'Every item runs as a `batch`-class job, its fields merged over `defaults`. Large batches go as `application/x-ndjson`: one item per line, read as it arrives; the first line may hold the batch\'s own fields as `{"object": "batch.options", ...}`. A refused batch stores nothing; errors name the item (`items[3].messages`, `lines[4].custom_id`).',
        requestBody: {
          required: true,
          content: {
            ...json("BatchRequest"),
            "application/x-ndjson": {
              schema: { type: "string", description: "One BatchItem per line (lines counted from 1)." },
            },
          },
        },
        responses: {
          "202": {
            description: "Stored durably; every item queued (delayed until `not_before`).",
            headers: { Location: { schema: { type: "string" } } },
            content: json("Batch"),
          },
          "400": error("A bad item or field, or duplicate `custom_id`s; every one is named."),
          "401": error("Missing or unknown API key."),
          "413": error("A JSON body over the limit (send NDJSON: the limit is then per line)."),
          "415": error("Neither application/json nor application/x-ndjson."),
          "429": error("Per-key request limit; see Retry-After."),
          "503": error("Redis unreachable: nothing was accepted."),
        },
      },
    },
    "/v1/batches/{id}": {
      get: {
        operationId: "getBatch",
        summary: "Read a batch with its live counts and cost",
        parameters: [batchId],
        responses: {
          "200": { description: "The batch.", content: json("Batch") },
          "401": error("Missing or unknown API key."),
          "404": error("Unknown id, or another tenant's batch."),
          "503": error("Redis unreachable."),
        },
      },
    },
    "/v1/batches/{id}/results": {
      get: {
        operationId: "getBatchResults",
        summary: "The results, in item order, as far as finished",
        description:
          "One line per item up to the first item not finished yet; once every item has finished, a last `batch.results_end` line. A file without that line is not complete.",
        parameters: [batchId],
        responses: {
          "200": {
            description: "NDJSON: BatchResultLine per line, then BatchResultsEnd when complete.",
            content: {
              "application/x-ndjson": { schema: { oneOf: [ref("BatchResultLine"), ref("BatchResultsEnd")] } },
            },
          },
          "401": error("Missing or unknown API key."),
          "404": error("Unknown id, or another tenant's batch."),
          "503": error("Redis unreachable."),
        },
      },
    },
    "/v1/batches/{id}/cancel": {
      post: {
        operationId: "cancelBatch",
        summary: "Cancel every item that has not finished",
        description:
          "Answers at once (within about a second, however big the batch) with the batch marked `cancelled` " +
          "and `cancel_requested_at` set. Its items are cancelled in the background (queued ones leave their " +
          "queues, running calls are aborted), so the counts keep settling until every item is final: then " +
          "`finished_at` is set, the results end with their end line and `batch.completed` is sent.",
        parameters: [batchId],
        responses: {
          "200": {
            description: "The batch, cancelled, with its counts as they are at that moment.",
            content: json("Batch"),
          },
          "401": error("Missing or unknown API key."),
          "404": error("Unknown id, or another tenant's batch."),
          "409": error("The batch already completed."),
          "503": error("Redis unreachable."),
        },
      },
    },
  };
}
