/**
 * `pnpm eval:routing [replay file…]`: cheap-first routing against always-cheap, always-strong and
 * random routing at equal cost, on recorded answers, through the real system. Progress goes to
 * stderr, the report to stdout; its last line is the headline scripts read. Results are also
 * written as JSON to `packages/eval/results/`.
 *
 * Options: --config <routing-eval.yaml> --models a,b (cheapest first) --limit N --concurrency N
 * --seed N --sweep 0.3,0.5,… (or none).
 */
import { resolve } from "node:path";
import { parseArgs } from "node:util";
import { repoRoot } from "./child-app.ts";
import { parseList, parsePositiveInt, parseThresholds, userPath, withoutSeparators } from "./cli-args.ts";
import { loadEvalConfig, withTiers } from "./eval-config.ts";
import { EvaluationError } from "./evaluation-error.ts";
import { writeResults } from "./results-file.ts";
import { formatReport } from "./routing-report.ts";
import { runRoutingEval } from "./run-routing-eval.ts";

/** The replay data lives next to the repository, read-only (see ../shared/data/README.md). */
const defaultReplayFile = resolve(repoRoot, "../shared/data/replay/gsm8k.jsonl");
const defaultEvalConfig = resolve(repoRoot, "packages/eval/routing-eval.yaml");

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({
    args: withoutSeparators(process.argv.slice(2)),
    allowPositionals: true,
    options: {
      config: { type: "string" },
      models: { type: "string" },
      limit: { type: "string" },
      concurrency: { type: "string" },
      seed: { type: "string" },
      sweep: { type: "string" },
    },
  });
  let evalConfig = await loadEvalConfig(values.config ? userPath(values.config) : defaultEvalConfig);
  const models = parseList(values.models);
  if (models) evalConfig = withTiers(evalConfig, models);
  const replayFiles =
    positionals.length > 0 ? positionals.map((file) => userPath(file)) : [defaultReplayFile];
  const seed = values.seed === undefined ? undefined : Number(values.seed);
  if (seed !== undefined && !Number.isInteger(seed))
    throw new EvaluationError(`--seed: "${values.seed}" is not an integer`);

  const report = await runRoutingEval({
    replayFiles,
    evalConfig,
    limit: parsePositiveInt("limit", values.limit),
    concurrency: parsePositiveInt("concurrency", values.concurrency),
    seed,
    sweep: values.sweep === undefined ? undefined : parseThresholds(values.sweep),
    onProgress: (line) => process.stderr.write(`[eval] ${line}\n`),
  });
  const paths = await writeResults(report, { name: "routing", latestName: "latest.json" });
  process.stderr.write(`[eval] results written to ${paths.join(" and ")}\n`);
  process.stdout.write(`${formatReport(report).join("\n")}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(
    `eval:routing failed: ${error instanceof EvaluationError ? error.message : String(error)}\n`,
  );
  if (!(error instanceof EvaluationError) && error instanceof Error && error.stack)
    process.stderr.write(`${error.stack}\n`);
  process.exit(1);
});
