import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";

/** One scenario's figures: the baseline and ours measured in the same run, and their ratios. */
export interface ScenarioResult {
  scenario: string;
  description: string;
  /** Sizes the scenario ran with (jobs, connections, seconds). */
  params: Record<string, number>;
  baseline: Record<string, number>;
  ours: Record<string, number>;
  /** `ours / baseline` per figure: > 1 is more throughput, or more latency. */
  ratios: Record<string, number>;
  /** `ours - baseline` where a difference says more than a ratio (added latency). */
  deltas?: Record<string, number>;
}

/** A whole bench run. */
export interface BenchReport {
  startedAt: string;
  durationSeconds: number;
  quick: boolean;
  node: string;
  cpus: number;
  scenarios: ScenarioResult[];
}

/** The report as a Markdown table, one row per figure. */
export function toMarkdown(report: BenchReport): string {
  const lines = [
    `# llmr bench, ${report.startedAt}${report.quick ? " (--quick)" : ""}`,
    "",
    `Node ${report.node}, ${report.cpus} CPUs, ${report.durationSeconds} s. Absolute numbers depend on the machine; the ratios are the point.`,
    "",
    "| scenario | figure | baseline | ours | ours / baseline | added |",
    "|---|---|---:|---:|---:|---:|",
  ];
  for (const row of tableRows(report)) lines.push(`| ${row.join(" | ")} |`);
  return `${lines.join("\n")}\n`;
}

/** Rows of scenario, figure, baseline, ours, ratio, added (as strings). */
export function tableRows(report: BenchReport): string[][] {
  const rows: string[][] = [];
  for (const scenario of report.scenarios) {
    const shown = new Set<string>();
    for (const [figure, baseline] of Object.entries(scenario.baseline)) {
      const ratioKey = figureRatioKey(figure);
      shown.add(ratioKey);
      const added = scenario.deltas?.[`added${figure.charAt(0).toUpperCase()}${figure.slice(1)}`];
      rows.push([
        scenario.scenario,
        figure,
        String(baseline),
        String(scenario.ours[figure] ?? ""),
        String(scenario.ratios[ratioKey] ?? ""),
        added === undefined ? "" : String(added),
      ]);
    }
    // Ratios that belong to no single figure (e.g. calls against a limit) get a row of their own.
    for (const [key, value] of Object.entries(scenario.ratios)) {
      if (!shown.has(key)) rows.push([scenario.scenario, key, "", "", String(value), ""]);
    }
  }
  return rows;
}

/** `jobsPerSecond` → `throughput`, `batchJobsPerSecond` → `batchThroughput`, `p99Ms` → `p99`, `apiRssMiB` → `apiRss`. */
function figureRatioKey(figure: string): string {
  const subject = figure.replace(/(jobs|requests)PerSecond$/i, "");
  if (subject !== figure) return subject === "" ? "throughput" : `${subject}Throughput`;
  return figure.replace(/(Ms|MiB)$/, "");
}

/**
 * Writes the run to `dir` as `<date>.json`; a full run (every scenario, not `--quick`) also
 * becomes `latest.json` and `latest.md`, which the README links, so a partial or quick run never
 * replaces the full figures (it is named `<date>-partial.json`). Returns the paths written.
 */
export function writeReport(dir: string, report: BenchReport, options: { full: boolean }): string[] {
  mkdirSync(dir, { recursive: true });
  const json = `${JSON.stringify(report, null, 2)}\n`;
  const stamp = report.startedAt.replace(/[:.]/g, "-");
  const dated = join(dir, options.full ? `${stamp}.json` : `${stamp}-partial.json`);
  writeFileSync(dated, json);
  if (!options.full) return [dated];
  const latest = [join(dir, "latest.json"), join(dir, "latest.md")];
  writeFileSync(latest[0] ?? "", json);
  writeFileSync(latest[1] ?? "", toMarkdown(report));
  return [dated, ...latest];
}
