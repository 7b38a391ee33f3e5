/**
 * Writes a report as JSON next to the package: `results/<name>-<date>.json` and `results/latest.json`
 * (or `<name>-latest.json` for other kinds), so the README's figures can be traced to a run.
 */
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

/** `packages/eval/results`. */
export const defaultResultsDir = fileURLToPath(new URL("../results/", import.meta.url));

/** Writes `<dir>/<name>-<YYYY-MM-DD>.json` and the `latest` copy; returns both paths. */
export async function writeResults(
  report: object,
  options: { name: string; latestName: string; dir?: string; date?: Date },
): Promise<string[]> {
  const dir = options.dir ?? defaultResultsDir;
  await mkdir(dir, { recursive: true });
  const day = (options.date ?? new Date()).toISOString().slice(0, 10);
  const json = `${JSON.stringify(report, null, 2)}\n`;
  const paths = [join(dir, `${options.name}-${day}.json`), join(dir, options.latestName)];
  for (const path of paths) await writeFile(path, json);
  return paths;
}
