import type { RequestIssue } from "../errors/request-validation-error.ts";
import { RequestValidationError } from "../errors/request-validation-error.ts";
import { requestIssuesFromZod } from "../request-issues.ts";
import { BatchRequestSchema, NDJSON_OPTIONS_OBJECT } from "./batch-request.ts";
import { ndjsonLines } from "./ndjson-lines.ts";

/** One item as the body gives it, with where it is (`items[3]`, `lines[4]`), or why it is unreadable. */
export type BatchEntry = { where: string; raw: unknown } | { where: string; issue: RequestIssue };

/** A batch as a request carries it: its options (validated later) and its items, one by one. */
export interface BatchSource {
  /** The batch's own fields (`defaults`, `webhook`, `not_before`, `complete_by`), not yet validated. */
  options: Record<string, unknown>;
  /** Where the options are in the body, for error paths (`""` for the JSON body itself). */
  optionsWhere: string;
  entries: AsyncIterable<BatchEntry>;
}

/** The JSON body `{"items": [...], ...options}`; throws `RequestValidationError` for its outer shape. */
export function jsonBatchSource(body: unknown): BatchSource {
  if (body === null || typeof body !== "object" || Array.isArray(body)) {
    throw new RequestValidationError([{ param: "", message: "the request body must be a JSON object" }]);
  }
  const { items, ...options } = body as Record<string, unknown>;
  // Only `items` is checked here; the options' own issues are reported with the same schema later.
  const parsed = BatchRequestSchema.pick({ items: true }).safeParse({ items });
  if (!parsed.success) throw new RequestValidationError(requestIssuesFromZod(parsed.error));
  const list = parsed.data.items;
  return {
    options,
    optionsWhere: "",
    entries: (async function* () {
      for (const [index, raw] of list.entries()) yield { where: `items[${index}]`, raw };
    })(),
  };
}

/**
 * An `application/x-ndjson` body: one item per line, read as it arrives (never whole). The first
 * line may instead hold the batch's options, `{"object": "batch.options", ...}` (an extension of
 * the contract). Issues name the line: `lines[4].messages`.
 */
export async function ndjsonBatchSource(
  body: AsyncIterable<Uint8Array | string>,
  maxLineBytes: number,
): Promise<BatchSource> {
  const lines = ndjsonLines(body, maxLineBytes);
  const entryOf = (line: Awaited<ReturnType<typeof lines.next>>["value"]): BatchEntry | undefined => {
    if (!line) return undefined;
    const where = `lines[${line.line}]`;
    if ("error" in line) return { where, issue: { param: where, message: line.error } };
    try {
      return { where, raw: JSON.parse(line.text) as unknown };
    } catch (error) {
      return { where, issue: { param: where, message: `malformed JSON: ${(error as Error).message}` } };
    }
  };
  const first = await lines.next();
  const firstEntry = first.done ? undefined : entryOf(first.value);
  const isOptions =
    firstEntry !== undefined &&
    "raw" in firstEntry &&
    typeof firstEntry.raw === "object" &&
    firstEntry.raw !== null &&
    (firstEntry.raw as Record<string, unknown>).object === NDJSON_OPTIONS_OBJECT;
  let options: Record<string, unknown> = {};
  if (isOptions) {
    const { object: _object, ...rest } = (firstEntry as { raw: Record<string, unknown> }).raw;
    options = rest;
  }
  return {
    options,
    optionsWhere: isOptions ? (firstEntry?.where ?? "") : "",
    entries: (async function* () {
      if (firstEntry && !isOptions) yield firstEntry;
      for await (const line of lines) {
        const entry = entryOf(line);
        if (entry) yield entry;
      }
    })(),
  };
}
