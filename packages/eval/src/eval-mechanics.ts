/**
 * `pnpm --filter @llmr/eval mechanics`: easy and hard simulated prompts through the real system on
 * the default config (or `--config`), and where each kind ended up. Progress to stderr, the report
 * to stdout, its headline last; also written to `packages/eval/results/mechanics-latest.json`.
 *
 * Options: --config <router.yaml> --count N (prompts of each kind) --concurrency N.
 */
import { parseArgs } from "node:util";
import { parsePositiveInt, userPath, withoutSeparators } from "./cli-args.ts";
import { EvaluationError } from "./evaluation-error.ts";
import { writeResults } from "./results-file.ts";
import { runMechanicsCheck } from "./run-mechanics.ts";

async function main(): Promise<void> {
  const { values } = parseArgs({
    args: withoutSeparators(process.argv.slice(2)),
    options: {
      config: { type: "string" },
      count: { type: "string" },
      concurrency: { type: "string" },
    },
  });
  const report = await runMechanicsCheck({
    routerConfigPath: values.config ? userPath(values.config) : undefined,
    perKind: parsePositiveInt("count", values.count),
    concurrency: parsePositiveInt("concurrency", values.concurrency),
    onProgress: (line) => process.stderr.write(`[eval] ${line}\n`),
  });
  await writeResults(report, { name: "mechanics", latestName: "mechanics-latest.json" });
  const lines = [`mechanics check on ${report.routerConfig} (${report.durationS.toFixed(1)} s)`];
  for (const kind of report.kinds) {
    const tiers = Object.entries(kind.finalTiers)
      .map(([tier, count]) => `${tier} ${count}`)
      .join(", ");
    const outcomes = Object.entries(kind.attemptOutcomes)
      .map(([outcome, count]) => `${outcome} ${count}`)
      .join(", ");
    lines.push(
      `${kind.kind}: ${kind.jobs} jobs; final tier: ${tiers}; stayed ${(kind.stayedShare * 100).toFixed(1)}%, escalated ${(kind.escalatedShare * 100).toFixed(1)}%, ${kind.attemptsPerJob.toFixed(2)} attempts/job; attempts: ${outcomes}`,
    );
  }
  lines.push(report.headline);
  process.stdout.write(`${lines.join("\n")}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(
    `eval mechanics failed: ${error instanceof EvaluationError ? error.message : String(error)}\n`,
  );
  if (!(error instanceof EvaluationError) && error instanceof Error && error.stack)
    process.stderr.write(`${error.stack}\n`);
  process.exit(1);
});
