import { createReadStream } from "node:fs";
import { readdir, readFile, stat } from "node:fs/promises";
import { join, relative, sep } from "node:path";
import { createInterface } from "node:readline";
import { ApiError, UsageError } from "./exit-codes.ts";

/**
 * What `llmr batch submit` uploads: NDJSON lines produced one at a time, so a folder of thousands
 * of documents is never in memory at once (one file is read per line, as the upload asks for it).
 */

/** The batch's own fields, sent as the `{"object": "batch.options", …}` first line. */
export interface BatchOptionsLine {
  defaults?: Record<string, unknown>;
  not_before?: string;
  complete_by?: string;
  webhook?: { url: string };
}

/** Files a folder contributes: text and Markdown, but not the summaries a previous run wrote. */
const INPUT_EXTENSIONS = [".txt", ".md"];
const OUTPUT_SUFFIX = ".summary.md";

/** The input files of a folder (recursively), as sorted paths relative to it with `/` separators. */
export async function folderInputs(folder: string): Promise<string[]> {
  const entries = await readdir(folder, { recursive: true, withFileTypes: true });
  const names = entries
    .filter((entry) => entry.isFile())
    .map((entry) => relative(folder, join(entry.parentPath, entry.name)).split(sep).join("/"))
    .filter((name) => INPUT_EXTENSIONS.some((ext) => name.endsWith(ext)) && !name.endsWith(OUTPUT_SUFFIX))
    .filter((name) => !name.split("/").some((part) => part.startsWith(".")));
  return names.sort();
}

/** Where an item's summary goes: `notes/a.txt` → `notes/a.summary.md` (under the folder or `--out`). */
export function summaryPath(customId: string): string {
  return `${customId.replace(/\.(txt|md)$/, "")}${OUTPUT_SUFFIX}`;
}

/**
 * {@link summaryPath} for a folder's inputs, except that two inputs that would share a summary
 * (`a.txt` and `a.md`) keep their extension (`a.txt.summary.md`, `a.md.summary.md`).
 */
export function summaryPaths(names: readonly string[]): (customId: string) => string {
  const seen = new Map<string, number>();
  for (const name of names) seen.set(summaryPath(name), (seen.get(summaryPath(name)) ?? 0) + 1);
  return (customId) =>
    (seen.get(summaryPath(customId)) ?? 0) > 1 ? `${customId}${OUTPUT_SUFFIX}` : summaryPath(customId);
}

/** The options line, then one `{"custom_id": <relative name>, "input": <file text>}` line per file. */
export async function* folderLines(
  folder: string,
  names: readonly string[],
  options: BatchOptionsLine,
): AsyncGenerator<string> {
  yield optionsLine(options);
  for (const name of names) {
    const input = await readFile(join(folder, name), "utf8");
    yield JSON.stringify({ custom_id: name, input });
  }
}

/**
 * The lines of a `.jsonl` file as they are, read line by line (blank ones too, so the API's line
 * numbers stay the file's); the CLI's options are merged into the file's own `batch.options` first
 * line (the command line wins) or sent before its items, which `layout.prepended` then records.
 */
export async function* jsonlLines(
  file: string,
  options: BatchOptionsLine,
  layout: { prepended: boolean } = { prepended: false },
): AsyncGenerator<string> {
  const lines = createInterface({
    input: createReadStream(file, "utf8"),
    crlfDelay: Number.POSITIVE_INFINITY,
  });
  let first = true;
  let items = 0;
  for await (const line of lines) {
    if (first) {
      first = false;
      const own = ownOptions(line);
      if (own) {
        const given = Object.fromEntries(Object.entries(options).filter(([, value]) => value !== undefined));
        yield optionsLine({ ...own, ...given, defaults: { ...own.defaults, ...options.defaults } });
        continue;
      }
      layout.prepended = true;
      yield optionsLine(options);
    }
    if (line.trim() !== "") items += 1;
    yield line;
  }
  if (items === 0) throw new UsageError(`${file} holds no items`);
}

/**
 * An API error about the upload with its `lines[N]` named as the user knows them: the file of a
 * folder, or the line of the .jsonl file (`lineOf` maps the uploaded line number, 1-based).
 */
export function renameLines(error: unknown, lineOf: (uploaded: number) => string): unknown {
  if (!(error instanceof ApiError)) return error;
  const rename = (text: string) =>
    text.replace(
      /lines\[(\d+)\](\.?)/g,
      (_, n: string, dot: string) => `${lineOf(Number(n))}${dot ? ": " : ""}`,
    );
  const { param, message, type } = error.body;
  return new ApiError(error.status, {
    type,
    message: rename(message),
    ...(param ? { param: rename(param) } : {}),
  });
}

/** What `batch submit` was given: a folder of documents or a .jsonl file of items. */
export async function inputKind(path: string): Promise<"folder" | "jsonl"> {
  const info = await stat(path).catch(() => {
    throw new UsageError(`${path}: no such file or folder`);
  });
  if (info.isDirectory()) return "folder";
  if (path.endsWith(".jsonl") || path.endsWith(".ndjson")) return "jsonl";
  throw new UsageError(`${path}: give a folder of .txt/.md files or a .jsonl file of items`);
}

function optionsLine(options: BatchOptionsLine): string {
  const defaults =
    options.defaults && Object.keys(options.defaults).length > 0 ? options.defaults : undefined;
  return JSON.stringify({ object: "batch.options", ...options, defaults });
}

function ownOptions(line: string): BatchOptionsLine | undefined {
  try {
    const parsed = JSON.parse(line) as Record<string, unknown>;
    if (parsed && parsed.object === "batch.options") {
      const { object: _object, ...rest } = parsed;
      return rest as BatchOptionsLine;
    }
  } catch {
    // Not JSON: the API names the line in its 400.
  }
  return undefined;
}
