/**
 * `pnpm demo:batch`: the real corpus of ../shared/data/documents summarized through
 * `llmr batch submit --wait` on a running system (or one started here), then the summaries and a
 * report (items, failures, escalations, cost, wall time, cost on the capable tier instead).
 * Exit codes: 0 the report was written (even with failed items), 1 the demo could not run, 2 usage.
 */
import { mkdtempSync } from "node:fs";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { REPO_ROOT } from "@llmr/testing";
import { ApiReader } from "./api-reads.ts";
import type { CorpusDocument } from "./corpus.ts";
import { readDocuments, writeItemsFile } from "./corpus.ts";
import { DemoUsageError, parseDemoOptions, USAGE } from "./demo-options.ts";
import type { DemoSystem } from "./demo-system.ts";
import { startDemoSystem } from "./demo-system.ts";
import { renderReport } from "./render-report.ts";
import type { ItemOutcome, ResultLine } from "./report.ts";
import { computeFigures } from "./report.ts";
import { runCliSubmit } from "./run-cli.ts";
import { writeSummaries } from "./write-outputs.ts";

const say = (line: string) => process.stderr.write(`[demo] ${line}\n`);
let system: DemoSystem | undefined;

async function main(): Promise<number> {
  const options = parseDemoOptions(process.argv.slice(2));
  if (options.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const startedAt = new Date().toISOString();
  const documents: CorpusDocument[] = [];
  const perSet: Record<string, number> = {};
  for (const dataset of options.datasets) {
    const some = await readDocuments(dataset, options.limits[dataset]);
    documents.push(...some);
    perSet[dataset] = some.length;
  }
  const callerDir = process.env.INIT_CWD ?? process.cwd();
  const outDir = options.outDir
    ? resolve(callerDir, options.outDir)
    : join(REPO_ROOT, "demo-output", startedAt.replace(/:/g, "-").replace(/\.\d+Z$/, "Z"));
  await mkdir(outDir, { recursive: true });
  say(`${documents.length} documents (${describeSets(perSet)}) → ${outDir}`);

  system = await startDemoSystem(process.env, options.latencyScale, say);
  say(`system: ${system.description}`);
  const itemsFile = join(mkdtempSync(join(tmpdir(), "llmr-demo-items-")), "items.jsonl");
  await writeItemsFile(documents, itemsFile);

  const submittedMs = Date.now();
  const run = await runCliSubmit(itemsFile, outDir, system);
  const wallTimeMs = Date.now() - submittedMs;

  const results = await readResults(join(outDir, "items.results.jsonl"));
  const reader = new ApiReader(system);
  say(`reading ${results.length} job objects for attempts and tokens…`);
  const jobs = await reader.getJobs(results.map((line) => line.job_id));
  const outcomes: ItemOutcome[] = results.map((result, i) => ({
    result,
    job: jobs[i] ?? missingJob(result),
  }));
  const batch = await reader.getBatch(run.batchId);
  const figures = computeFigures(outcomes, system.config, wallTimeMs);

  const byId = new Map(documents.map((document) => [document.id, document]));
  const files = await writeSummaries(outDir, byId, outcomes);
  const context = {
    startedAt,
    system: system.description,
    // Read off the calls, so a running system's simulated vendors are named too.
    simulated: system.simulated || allSimulated(Object.keys(figures.attemptsByProvider)),
    documents: perSet,
    batchId: run.batchId,
    command: run.command.replace(itemsFile, "items.jsonl").replace(outDir, "<out>"),
  };
  const report = { ...context, batch, summaryFiles: files, ...figures };
  await writeFile(join(outDir, "report.json"), `${JSON.stringify(report, null, 2)}\n`);
  const markdown = renderReport(figures, context);
  await writeFile(join(outDir, "report.md"), markdown);
  process.stdout.write(markdown);
  say(`wrote ${outDir}/report.md, report.json, summaries.jsonl and ${files} summaries/<id>.md`);
  return 0;
}

async function readResults(path: string): Promise<ResultLine[]> {
  const text = await readFile(path, "utf8");
  return text
    .split("\n")
    .filter((line) => line.trim() !== "")
    .map((line) => JSON.parse(line) as ResultLine);
}

function missingJob(result: ResultLine): never {
  throw new Error(`no job object read for ${result.custom_id} (${result.job_id})`);
}

/** Attempts name `simulated-<vendor>` when the simulator answered (ResolvedProvider.label). */
function allSimulated(providers: readonly string[]): boolean {
  return providers.length > 0 && providers.every((provider) => provider.startsWith("simulated-"));
}

function describeSets(perSet: Record<string, number>): string {
  return Object.entries(perSet)
    .map(([set, n]) => `${n} ${set}`)
    .join(", ");
}

let stopping: Promise<void> | undefined;
/** Stops what the demo started, once: Ctrl-C and the failure it causes in the CLI arrive together. */
function stopSystem(): Promise<void> {
  stopping ??= system?.stop() ?? Promise.resolve();
  return stopping;
}

process.once("SIGINT", () => {
  say("interrupted: stopping what the demo started");
  void stopSystem().finally(() => process.exit(130));
});

main()
  .then(async (code) => {
    await stopSystem();
    process.exit(code);
  })
  .catch(async (error: unknown) => {
    if (error instanceof DemoUsageError) {
      process.stderr.write(`demo:batch: ${error.message}\n\n${USAGE}\n`);
      await stopSystem();
      process.exit(2);
    }
    say(`failed: ${error instanceof Error ? error.message : String(error)}`);
    await stopSystem();
    process.exit(1);
  });
