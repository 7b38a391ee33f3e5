import { once } from "node:events";
import { createWriteStream } from "node:fs";
import { mkdir, writeFile } from "node:fs/promises";
import { dirname, isAbsolute, join, normalize } from "node:path";
import type { BatchResultLine, BatchResultsEnd } from "./api-types.ts";
import { summaryPath } from "./batch-input.ts";

/** What was read from the results: how far, and whether the end line came (the batch is finished). */
export interface ResultsTally {
  written: number;
  succeeded: number;
  failed: Array<{ customId: string; message: string }>;
  end: BatchResultsEnd | undefined;
}

export type ResultLine = BatchResultLine | BatchResultsEnd;

function isEnd(line: ResultLine): line is BatchResultsEnd {
  return (line as BatchResultsEnd).object === "batch.results_end";
}

/**
 * Writes each succeeded item's text as `<dir>/<name>.summary.md` (for `notes/a.txt`:
 * `notes/a.summary.md`), creating folders as needed. Failed items get no file; they are listed.
 */
export async function writeSummaryFiles(
  lines: AsyncIterable<ResultLine>,
  dir: string,
  nameOf: (customId: string) => string = summaryPath,
): Promise<ResultsTally> {
  const tally = emptyTally();
  for await (const line of lines) {
    if (isEnd(line)) {
      tally.end = line;
      continue;
    }
    count(tally, line);
    if (line.status !== "succeeded") continue;
    const path = join(dir, safeRelative(nameOf(line.custom_id)));
    await mkdir(dirname(path), { recursive: true });
    const text = line.output_text ?? JSON.stringify(line.output_json, null, 2);
    await writeFile(path, text.endsWith("\n") ? text : `${text}\n`);
    tally.written += 1;
  }
  return tally;
}

/** Writes every item's result line as JSONL (the end line is not an item: it is left out). */
export async function writeJsonl(
  lines: AsyncIterable<ResultLine>,
  out: NodeJS.WritableStream | string,
): Promise<ResultsTally> {
  const tally = emptyTally();
  const stream = typeof out === "string" ? createWriteStream(out) : out;
  for await (const line of lines) {
    if (isEnd(line)) {
      tally.end = line;
      continue;
    }
    count(tally, line);
    if (!stream.write(`${JSON.stringify(line)}\n`)) await once(stream, "drain");
    tally.written += 1;
  }
  if (typeof out === "string") {
    stream.end();
    await once(stream, "finish");
  }
  return tally;
}

function emptyTally(): ResultsTally {
  return { written: 0, succeeded: 0, failed: [], end: undefined };
}

function count(tally: ResultsTally, line: BatchResultLine): void {
  if (line.status === "succeeded") tally.succeeded += 1;
  else tally.failed.push({ customId: line.custom_id, message: line.error?.message ?? line.status });
}

/** A custom_id as a path that stays inside the output folder (ids come from the server). */
export function safeRelative(name: string): string {
  const normal = normalize(name);
  if (!isAbsolute(normal) && !normal.startsWith("..")) return normal;
  return name.replace(/[/\\]/g, "_").replace(/^\.+/, "_");
}
