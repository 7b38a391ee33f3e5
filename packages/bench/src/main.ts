/**
 * `pnpm bench [--quick] [--cpu-prof] [--only=worker-overhead,api-enqueue]`: runs the scenarios,
 * prints a table and writes results/<date>.json; a full run also results/latest.json and latest.md
 * (a `--only` or `--quick` run is written as results/<date>-partial.json and leaves them alone).
 */

import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { tableRows, writeReport } from "./results.ts";
import type { ScenarioName } from "./run-bench.ts";
import { runBench, SCENARIOS } from "./run-bench.ts";

const RESULTS_DIR = fileURLToPath(new URL("../results/", import.meta.url));

const { values } = parseArgs({
  options: {
    quick: { type: "boolean", default: false },
    "cpu-prof": { type: "boolean", default: false },
    only: { type: "string" },
  },
});
const only = values.only?.split(",").map((name) => {
  if (!(SCENARIOS as readonly string[]).includes(name))
    throw new Error(`--only: unknown scenario "${name}" (known: ${SCENARIOS.join(", ")})`);
  return name as ScenarioName;
});

const report = await runBench({
  quick: values.quick,
  ...(only === undefined ? {} : { only }),
  ...(values["cpu-prof"] ? { cpuProfDir: `${RESULTS_DIR}profiles` } : {}),
  onProgress: (line) => console.error(line),
});

const header = ["scenario", "figure", "baseline", "ours", "ours/base", "added"];
const rows = [header, ...tableRows(report)];
const widths = header.map((_, i) => Math.max(...rows.map((row) => (row[i] ?? "").length)));
for (const row of rows) console.log(row.map((cell, i) => cell.padEnd(widths[i] ?? 0)).join("  "));
// Only a full run replaces latest.{json,md} (the README's figures); `--only` or `--quick` runs are kept apart.
const written = writeReport(RESULTS_DIR, report, { full: only === undefined && !values.quick });
console.log(`\n${report.durationSeconds} s; written ${written.join(", ")}`);
