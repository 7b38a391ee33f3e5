import type { RouterConfig } from "@llmr/config";
import { buildJobRecord } from "../build-job-record.ts";
import type { RequestIssue } from "../errors/request-validation-error.ts";
import { RequestValidationError } from "../errors/request-validation-error.ts";
import { StorageUnavailableError } from "../errors/storage-unavailable-error.ts";
import { newBatchId, newJobId } from "../ids.ts";
import type { JobStore } from "../job-store.ts";
import type { RoutedRequest } from "../normalize-request.ts";
import { normalizeRequest } from "../normalize-request.ts";
import { requestIssuesFromZod } from "../request-issues.ts";
import type { TierQueues } from "../tier-queues.ts";
import type { PublicBatch } from "./batch-object.ts";
import { discardStagedBatch } from "./batch-recovery.ts";
import type { BatchOptions } from "./batch-request.ts";
import {
  BatchOptionsSchema,
  located,
  MAX_BATCH_ITEMS,
  NOT_BEFORE_MAX_AHEAD_MS,
  prepareBatchItem,
} from "./batch-request.ts";
import type { BatchSource } from "./batch-source.ts";
import type { BatchItemEntry, BatchStore } from "./batch-store.ts";
import { BATCH_CHUNK_ITEMS, BATCH_LEASE_MS, enqueueBatch } from "./enqueue-batch.ts";

/** A refused batch reports at most this many issues (then the body is only read to its end). */
const MAX_ISSUES = 20;

/** The verdict on a webhook URL (the API checks that it aims at a public address). */
export type WebhookUrlCheck = { ok: true; url: string } | { ok: false; reason: string };

export interface BatchSubmitDeps {
  config: RouterConfig;
  store: JobStore;
  batches: BatchStore;
  queues: TierQueues;
  /** Checks every webhook URL of the batch (its own and its items'); each distinct URL once. */
  checkWebhookUrl?: (url: string) => Promise<WebhookUrlCheck>;
  /**
   * Told when queueing a committed batch's items failed midway (Redis went away): the batch is
   * accepted and the recovery queues the rest once Redis is back. The app logs it.
   */
  onEnqueueDeferred?: (batchId: string, error: unknown) => void;
  now?: () => Date;
}

interface ReadyItem {
  where: string;
  customId: string;
  routed: RoutedRequest;
}

/**
 * Accepts a batch: validates every item (as the single-job path does, routing included) while
 * staging it in Redis chunk by chunk, so a batch of any size is never held whole in memory; then
 * commits it (visible, durable) and queues every item as a `batch`-class job. Nothing of a refused
 * batch stays stored: a bad item or a duplicate `custom_id` throws `RequestValidationError` naming
 * them after the staged part is deleted. A crash while staging leaves nothing that the recovery
 * does not delete; a crash after the commit leaves a batch that the recovery queues in full.
 *
 * @throws RequestValidationError naming the items and fields at fault (nothing stored)
 * @throws StorageUnavailableError when Redis failed before the commit (nothing stored)
 */
export async function submitBatch(
  deps: BatchSubmitDeps,
  tenant: string,
  source: BatchSource,
): Promise<PublicBatch> {
  const now = (deps.now ?? (() => new Date()))();
  const options = await validateOptions(deps, source, now);
  const id = newBatchId(now.getTime());
  const notBefore = options.not_before ? new Date(options.not_before) : undefined;
  const completeBy = options.complete_by ? new Date(options.complete_by) : undefined;
  // A batch job's deadline runs from when it may start; `complete_by` caps it.
  const start = Math.max(now.getTime(), notBefore?.getTime() ?? 0);
  const deadlineMs = Math.min(
    start + deps.config.jobs.deadlineSeconds.batch * 1000,
    completeBy?.getTime() ?? Number.POSITIVE_INFINITY,
  );

  await storage(() =>
    deps.batches.stage(
      {
        id,
        tenant,
        createdAt: now.toISOString(),
        notBefore: notBefore?.toISOString() ?? null,
        completeBy: completeBy?.toISOString() ?? null,
        webhookUrl: options.webhook?.url ?? null,
      },
      BATCH_LEASE_MS,
    ),
  );
  const renew = setInterval(
    () => void deps.batches.renewLease(id, BATCH_LEASE_MS).catch(() => undefined),
    BATCH_LEASE_MS / 4,
  );
  renew.unref();
  try {
    const issues: RequestIssue[] = [];
    const checkedUrls = new Map<string, Promise<WebhookUrlCheck>>();
    const chunk: ReadyItem[] = [];
    let writing: Promise<void> = Promise.resolve();
    let seen = 0;
    let stored = 0;
    const flush = async (items: ReadyItem[]) => {
      if (items.length === 0) return;
      // Custom ids are claimed even once the batch is refused, so every duplicate gets named.
      const duplicates = await deps.batches.claimCustomIds(id, items);
      for (const duplicate of duplicates) {
        const item = items[duplicate.index];
        if (item) {
          const message = `duplicate custom_id ${JSON.stringify(item.customId)} (first given at ${duplicate.firstAt})`;
          issues.push({ param: `${item.where}.custom_id`, message });
        }
      }
      if (issues.length > 0) return;
      const records = items.map((item) =>
        buildJobRecord(item.routed, {
          id: newJobId(now.getTime()),
          tenant,
          createdAt: now,
          deadlineAt: new Date(deadlineMs),
          batchId: id,
        }),
      );
      // The list first: whatever record may exist is listed, so a rollback finds every one.
      const entries: BatchItemEntry[] = records.map((record, index) => ({
        customId: items[index]?.customId ?? "",
        jobId: record.job.id,
        tier: record.job.tier,
      }));
      await deps.batches.appendItems(id, entries);
      await Promise.all(records.map((record) => deps.store.create(record)));
      stored += records.length;
    };

    for await (const entry of source.entries) {
      seen++;
      if (seen > MAX_BATCH_ITEMS) {
        // Not read to its end: past the limit the rest is not worth receiving (the answer may be lost).
        issues.push({ param: entry.where, message: `a batch holds at most ${MAX_BATCH_ITEMS} items` });
        break;
      }
      if (issues.length >= MAX_ISSUES) continue; // read to the end, so the client sees the answer
      if ("issue" in entry) {
        issues.push(entry.issue);
        continue;
      }
      const ready = await prepare(deps, tenant, options, entry.where, entry.raw, checkedUrls);
      if (!ready.ok) {
        issues.push(...ready.issues);
        continue;
      }
      chunk.push(ready.item);
      if (chunk.length >= BATCH_CHUNK_ITEMS) {
        // One chunk is written while the next is read and validated: Redis and the CPU overlap,
        // and at most two chunks are held.
        await writing;
        writing = storage(() => flush(chunk.splice(0)));
        // Its failure is seen by the await above or below, never left unhandled.
        writing.catch(() => undefined);
      }
    }
    await writing;
    await storage(() => flush(chunk));
    if (seen === 0)
      issues.push({ param: source.optionsWhere || "items", message: "the batch holds no items" });
    if (issues.length > 0) throw new RequestValidationError(issues.slice(0, MAX_ISSUES));
    if (!(await storage(() => deps.batches.commit(id, stored)))) {
      throw new StorageUnavailableError(
        "the batch took too long to store and was discarded; nothing was accepted",
      );
    }
  } catch (error) {
    clearInterval(renew);
    // Best effort: if Redis is gone, the recovery deletes the staged part once the lease runs out.
    await discardStagedBatch(deps, id).catch(() => undefined);
    throw error;
  }
  try {
    await enqueueBatch(deps, id);
  } catch (error) {
    deps.onEnqueueDeferred?.(id, error);
  } finally {
    clearInterval(renew);
  }
  const meta = await storage(() => deps.batches.get(id));
  if (!meta) throw new StorageUnavailableError();
  return deps.batches.toPublic(meta);
}

async function validateOptions(deps: BatchSubmitDeps, source: BatchSource, now: Date): Promise<BatchOptions> {
  const parsed = BatchOptionsSchema.safeParse(source.options);
  if (!parsed.success) {
    const issues = requestIssuesFromZod(parsed.error);
    throw new RequestValidationError(source.optionsWhere ? located(issues, source.optionsWhere) : issues);
  }
  const options = parsed.data;
  const param = (field: string) => (source.optionsWhere ? `${source.optionsWhere}.${field}` : field);
  const issues: RequestIssue[] = [];
  if (options.not_before && Date.parse(options.not_before) > now.getTime() + NOT_BEFORE_MAX_AHEAD_MS) {
    issues.push({ param: param("not_before"), message: "must be at most 30 days ahead" });
  }
  if (options.complete_by && Date.parse(options.complete_by) <= now.getTime()) {
    issues.push({ param: param("complete_by"), message: "must be in the future" });
  }
  if (options.webhook && deps.checkWebhookUrl) {
    const check = await deps.checkWebhookUrl(options.webhook.url);
    if (check.ok) options.webhook = { url: check.url };
    else issues.push({ param: param("webhook.url"), message: check.reason });
  }
  if (issues.length > 0) throw new RequestValidationError(issues);
  return options;
}

async function prepare(
  deps: BatchSubmitDeps,
  tenant: string,
  options: BatchOptions,
  where: string,
  raw: unknown,
  checkedUrls: Map<string, Promise<WebhookUrlCheck>>,
): Promise<{ ok: true; item: ReadyItem } | { ok: false; issues: RequestIssue[] }> {
  const prepared = prepareBatchItem(raw, options.defaults, where);
  if (!prepared.ok) return prepared;
  const request = prepared.request;
  if (request.webhook && deps.checkWebhookUrl) {
    const url = request.webhook.url;
    let check = checkedUrls.get(url);
    if (!check) {
      check = deps.checkWebhookUrl(url);
      checkedUrls.set(url, check);
    }
    const verdict = await check;
    if (!verdict.ok)
      return { ok: false, issues: [{ param: `${where}.webhook.url`, message: verdict.reason }] };
    request.webhook = { url: verdict.url };
  }
  try {
    return {
      ok: true,
      item: { where, customId: prepared.customId, routed: normalizeRequest(request, deps.config, tenant) },
    };
  } catch (error) {
    if (error instanceof RequestValidationError) return { ok: false, issues: located(error.issues, where) };
    throw error;
  }
}

/** Runs a Redis step; its failure means nothing was accepted (503). */
async function storage<T>(step: () => Promise<T>): Promise<T> {
  try {
    return await step();
  } catch (error) {
    if (error instanceof RequestValidationError || error instanceof StorageUnavailableError) throw error;
    throw new StorageUnavailableError(undefined, { cause: error });
  }
}
