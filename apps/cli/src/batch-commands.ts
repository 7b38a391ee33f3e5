import { mkdir } from "node:fs/promises";
import { basename, dirname, join, resolve } from "node:path";
import type { BatchObject } from "./api-types.ts";
import type { BatchOptionsLine } from "./batch-input.ts";
import {
  folderInputs,
  folderLines,
  inputKind,
  jsonlLines,
  renameLines,
  summaryPaths,
} from "./batch-input.ts";
import { cancelNote } from "./cancel-note.ts";
import type { CliContext } from "./cli-context.ts";
import type { FlagValues } from "./command-line.ts";
import { instantFlag, stringFlag } from "./command-line.ts";
import { ExitCode, InterruptedError, UsageError } from "./exit-codes.ts";
import { formatSummary, formatUsd } from "./progress-line.ts";
import { ProgressReporter } from "./progress-reporter.ts";
import type { ResultLine, ResultsTally } from "./results-writer.ts";
import { writeJsonl, writeSummaryFiles } from "./results-writer.ts";
import { nextWindow, parseWindow } from "./run-window.ts";
import { scheduleNote } from "./schedule-note.ts";
import { waitForBatch } from "./wait-for-batch.ts";

/** `llmr batch submit <folder | file.jsonl>`: upload, then (with --wait) follow and write the results. */
export async function batchSubmit(
  ctx: CliContext,
  [input = ""]: string[],
  flags: FlagValues,
): Promise<number> {
  const path = resolve(ctx.cwd, input);
  const kind = await inputKind(path);
  const options = batchOptions(ctx, flags, kind);
  const out = stringFlag(flags, "out");
  let names: string[] = [];
  if (kind === "folder") {
    names = await folderInputs(path);
    if (names.length === 0) throw new UsageError(`${input}: no .txt or .md files in this folder`);
  }
  const layout = { prepended: false };
  const lines = kind === "folder" ? folderLines(path, names, options) : jsonlLines(path, options, layout);
  // The API numbers the uploaded lines; say which file, or which line of the user's .jsonl, it means.
  const lineOf = (n: number) =>
    n === 1 && (kind === "folder" || layout.prepended)
      ? "the batch options (flags)"
      : kind === "folder"
        ? `"${names[n - 2] ?? `lines[${n}]`}"`
        : `line ${layout.prepended ? n - 1 : n}`;
  const batch = await ctx.client
    .submitBatch(lines)
    .catch((error: unknown) => {
      throw renameLines(error, lineOf);
    })
    .catch(interruptedDuring("the upload; nothing was submitted"));
  ctx.stdout.write(`${batch.id}\n`);
  const when = batch.not_before ? ` (starts ${batch.not_before})` : "";
  ctx.stderr.write(`submitted ${batch.counts.total} items as ${batch.id}${when}\n`);
  if (!flags.wait) {
    ctx.stderr.write(
      `follow: llmr batch status ${batch.id} --wait · results: llmr batch results ${batch.id}\n`,
    );
    return ExitCode.ok;
  }
  const finished = await follow(ctx, batch);
  const results = ctx.client.batchResults(batch.id) as AsyncIterable<ResultLine>;
  let tally: ResultsTally;
  let where: string;
  if (kind === "folder") {
    where = out ? resolve(ctx.cwd, out) : path;
    tally = await writeSummaryFiles(results, where, summaryPaths(names));
  } else {
    const dir = out ? resolve(ctx.cwd, out) : dirname(path);
    await mkdir(dir, { recursive: true });
    where = join(dir, `${basename(path).replace(/\.(jsonl|ndjson)$/, "")}.results.jsonl`);
    tally = await writeJsonl(results, where);
  }
  reportTally(ctx, tally, where);
  return outcome(finished);
}

/** `llmr batch status <id> [--wait]`. Without --wait the exit code is 0 whatever the state. */
export async function batchStatus(ctx: CliContext, [id = ""]: string[], flags: FlagValues): Promise<number> {
  let batch = await ctx.client.getBatch(id);
  if (flags.wait) batch = await follow(ctx, batch);
  if (flags.json) ctx.stdout.write(`${JSON.stringify(batch, null, 2)}\n`);
  else ctx.stdout.write(`${describe(batch, ctx)}\n`);
  return flags.wait ? outcome(batch) : ExitCode.ok;
}

/** `llmr batch results <id>`: the results finished so far, as files, a JSONL file or JSONL on stdout. */
export async function batchResults(ctx: CliContext, [id = ""]: string[], flags: FlagValues): Promise<number> {
  const out = stringFlag(flags, "out");
  const jsonl = stringFlag(flags, "jsonl");
  if (out && jsonl) throw new UsageError("batch results: give --out DIR or --jsonl FILE, not both");
  const lines = ctx.client.batchResults(id) as AsyncIterable<ResultLine>;
  let tally: ResultsTally;
  if (out) tally = await writeSummaryFiles(lines, resolve(ctx.cwd, out));
  else if (jsonl) tally = await writeJsonl(lines, resolve(ctx.cwd, jsonl));
  else tally = await writeJsonl(lines, ctx.stdout);
  reportTally(ctx, tally, out ?? jsonl);
  if (!tally.end) {
    ctx.stderr.write(
      `batch ${id} is not finished: these are the first ${tally.written} results in item order\n`,
    );
    return ExitCode.failed;
  }
  return tally.end.status === "cancelled"
    ? ExitCode.cancelled
    : tally.failed.length > 0
      ? ExitCode.failed
      : ExitCode.ok;
}

/**
 * `llmr batch cancel <id>`: every item not finished is cancelled (running calls are aborted). The
 * server answers at once and stops a big batch's items in the background: the line says how many
 * are still stopping, and `llmr batch status <id> --wait` follows them to the end.
 */
export async function batchCancel(ctx: CliContext, [id = ""]: string[], flags: FlagValues): Promise<number> {
  const batch = await ctx.client.cancelBatch(id);
  if (flags.json) {
    ctx.stdout.write(`${JSON.stringify(batch, null, 2)}\n`);
    return ExitCode.ok;
  }
  ctx.stdout.write(`${describe(batch, ctx)}\n`);
  const note = cancelNote(batch);
  if (note) ctx.stderr.write(`${note}\n`);
  return ExitCode.ok;
}

function batchOptions(ctx: CliContext, flags: FlagValues, kind: "folder" | "jsonl"): BatchOptionsLine {
  const task = stringFlag(flags, "task") ?? (kind === "folder" ? "summarize" : undefined);
  const options: BatchOptionsLine = { defaults: task ? { task } : {} };
  const windowText = stringFlag(flags, "window");
  if (windowText) {
    if (flags["not-before"] || flags["complete-by"])
      throw new UsageError("--window sets --not-before and --complete-by; give one or the other");
    const next = nextWindow(parseWindow(windowText, ctx.timeZone), ctx.now());
    if (next.notBefore) options.not_before = next.notBefore.toISOString();
    options.complete_by = next.completeBy.toISOString();
    return options;
  }
  const notBefore = instantFlag(flags, "not-before");
  const completeBy = instantFlag(flags, "complete-by");
  if (notBefore) options.not_before = notBefore;
  if (completeBy) options.complete_by = completeBy;
  return options;
}

/** Waits with a progress line on stderr, then prints the summary. */
async function follow(ctx: CliContext, batch: BatchObject): Promise<BatchObject> {
  const startedMs = Date.now();
  const reporter = new ProgressReporter(ctx.stderr);
  const finished = await waitForBatch(ctx.client, batch.id, reporter, {
    pollIntervalMs: ctx.pollIntervalMs,
    signal: ctx.signal,
    timeZone: ctx.timeZone,
  }).catch((error: unknown) => {
    reporter.finish();
    if (error instanceof InterruptedError) {
      throw new InterruptedError(
        `stopped waiting; batch ${batch.id} keeps running on the server.\n` +
          `  follow again: llmr batch status ${batch.id} --wait\n  cancel it:    llmr batch cancel ${batch.id}`,
      );
    }
    throw error;
  });
  ctx.stderr.write(
    `${formatSummary(finished.id, finished.status, finished.counts, finished.cost_usd, Date.now() - startedMs)}\n`,
  );
  return finished;
}

function reportTally(ctx: CliContext, tally: ResultsTally, where: string | undefined): void {
  for (const failure of tally.failed) ctx.stderr.write(`failed: ${failure.customId}: ${failure.message}\n`);
  if (where) ctx.stderr.write(`wrote ${tally.written} results to ${where}\n`);
}

function describe(batch: BatchObject, ctx: CliContext): string {
  const c = batch.counts;
  const note = scheduleNote(batch, ctx.timeZone, ctx.now());
  return (
    `${batch.id} ${batch.status}: ${c.succeeded} succeeded, ${c.failed} failed, ${c.cancelled} cancelled, ` +
    `${c.running} running, ${c.queued} queued of ${c.total} · ${formatUsd(batch.cost_usd)}` +
    (note ? ` · ${note}` : "")
  );
}

/** 0 when every item succeeded, 5 when the batch was cancelled, 1 when some items failed. */
function outcome(batch: BatchObject): number {
  if (batch.status === "cancelled") return ExitCode.cancelled;
  return batch.counts.failed > 0 || batch.counts.cancelled > 0 ? ExitCode.failed : ExitCode.ok;
}

function interruptedDuring(what: string) {
  return (error: unknown): never => {
    if (error instanceof InterruptedError) throw new InterruptedError(`interrupted during ${what}`);
    throw error;
  };
}
