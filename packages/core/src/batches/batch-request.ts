import { z } from "zod";
import type { RequestIssue } from "../errors/request-validation-error.ts";
import type { JobRequest } from "../job-request.ts";
import { JobRequestSchema } from "../job-request.ts";
import { requestIssuesFromZod } from "../request-issues.ts";

/**
 * The body of `POST /v1/batches`: the batch's own fields and, per item, a `custom_id` plus any job
 * request fields, merged over the batch's `defaults`. Items are validated one by one (so an error
 * names its item) by {@link prepareBatchItem}; the rest by {@link BatchOptionsSchema}.
 */

/** Most items one batch may hold. */
export const MAX_BATCH_ITEMS = 100_000;
/** Longest `custom_id`; it is echoed in every result line. */
export const CUSTOM_ID_MAX_CHARS = 256;
/** How far ahead `not_before` may be: unfinished jobs are kept until they run. */
export const NOT_BEFORE_MAX_AHEAD_MS = 30 * 86_400_000;

const { class: _class, ...jobFields } = JobRequestSchema.shape;
const batchClass = z.literal("batch", { error: 'every item of a batch runs as "batch"; leave it out' });

/** Job request fields given once for every item (each item may override them). */
export const BatchDefaultsSchema = z.strictObject({ ...jobFields, class: batchClass.optional() });
export type BatchDefaults = z.infer<typeof BatchDefaultsSchema>;

/** One item: its `custom_id` and the job request fields of its own. */
export const BatchItemSchema = z.strictObject({
  ...jobFields,
  class: batchClass.optional(),
  custom_id: z
    .string()
    .min(1, "must not be empty")
    .max(CUSTOM_ID_MAX_CHARS, `must be at most ${CUSTOM_ID_MAX_CHARS} characters long`),
});

const instant = () =>
  z.iso.datetime({ offset: true, error: "must be an ISO-8601 date and time, e.g. 2030-01-01T01:00:00Z" });

/** Everything of a batch but its items (the JSON body's other fields, or the NDJSON options line). */
export const BatchOptionsSchema = z
  .strictObject({
    defaults: BatchDefaultsSchema.optional(),
    /** Where the `batch.completed` webhook goes. */
    webhook: jobFields.webhook,
    not_before: instant().optional(),
    complete_by: instant().optional(),
  })
  .superRefine((options, ctx) => {
    if (
      options.not_before !== undefined &&
      options.complete_by !== undefined &&
      Date.parse(options.complete_by) <= Date.parse(options.not_before)
    ) {
      ctx.addIssue({ code: "custom", path: ["complete_by"], message: "must be later than not_before" });
    }
  });
export type BatchOptions = z.infer<typeof BatchOptionsSchema>;

/** The JSON body: the options plus the items (checked one by one afterwards). */
export const BatchRequestSchema = z.strictObject({
  ...BatchOptionsSchema.shape,
  items: z
    .array(z.unknown())
    .min(1, "must hold at least one item")
    .max(MAX_BATCH_ITEMS, `must hold at most ${MAX_BATCH_ITEMS} items`),
});

/**
 * Extension: the NDJSON body may start with a line `{"object": "batch.options", …}` holding the
 * same fields as the JSON body's (`defaults`, `webhook`, `not_before`, `complete_by`).
 */
export const NDJSON_OPTIONS_OBJECT = "batch.options";

export type PreparedItem =
  | { ok: true; customId: string; request: JobRequest }
  | { ok: false; issues: RequestIssue[] };

/**
 * Validates one item and merges it over the defaults: an item's fields replace the defaults'
 * (its `messages` or `input` replaces both of theirs), `metadata` is merged key by key, and the
 * class is always `batch`. Issues are named under `where` (`items[3].messages`, `lines[4].input`).
 */
export function prepareBatchItem(
  raw: unknown,
  defaults: BatchDefaults | undefined,
  where: string,
): PreparedItem {
  if (raw === null || typeof raw !== "object" || Array.isArray(raw)) {
    return { ok: false, issues: [{ param: where, message: "must be a JSON object (one item)" }] };
  }
  const item = BatchItemSchema.safeParse(raw);
  if (!item.success) return { ok: false, issues: located(requestIssuesFromZod(item.error), where) };
  const { custom_id: customId, ...fields } = item.data;
  const merged: Record<string, unknown> = { ...defaults, ...fields, class: "batch" };
  if (fields.messages !== undefined || fields.input !== undefined) {
    merged.messages = fields.messages;
    merged.input = fields.input;
  }
  if (defaults?.metadata || fields.metadata) merged.metadata = { ...defaults?.metadata, ...fields.metadata };
  for (const key of Object.keys(merged)) if (merged[key] === undefined) delete merged[key];
  const request = JobRequestSchema.safeParse(merged);
  if (!request.success) return { ok: false, issues: located(requestIssuesFromZod(request.error), where) };
  return { ok: true, customId, request: request.data };
}

/** Puts issues of an item under its place in the body. */
export function located(issues: readonly RequestIssue[], where: string): RequestIssue[] {
  return issues.map((issue) => ({ ...issue, param: joinParam(where, issue.param) }));
}

function joinParam(where: string, param: string): string {
  if (param === "") return where;
  return param.startsWith("[") ? `${where}${param}` : `${where}.${param}`;
}
