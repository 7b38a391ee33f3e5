/**
 * The routing evaluation's result (also written as JSON) and its text rendering: the policy table,
 * the threshold curve, and the one-line headline that scripts read (always the last line).
 */
import type { GradedItem } from "./grade.ts";
import type { RandomBaseline, RunSummary } from "./metrics.ts";

/** One policy's run, set against the fixed policies. */
export interface PolicyResult {
  /** `cheap-first`, `always-cheap`, `always-strong`, `always-<tier>`. */
  name: string;
  /** What the jobs asked for: nothing (cheap-first) or a pinned tier and max tier. */
  request: { tier?: string; max_tier?: string };
  /** The threshold in the router config; null = the router's own default. */
  minConfidence: number | null;
  summary: RunSummary;
  /** Cost as a share of always-strong's. */
  costShareOfStrong: number;
  gapRecovered: number | null;
}

export interface SweepPoint {
  minConfidence: number;
  summary: RunSummary;
  costShareOfStrong: number;
  gapRecovered: number | null;
}

export interface RoutingEvalReport {
  startedAt: string;
  durationS: number;
  replayFiles: string[];
  records: number;
  tiers: { name: string; model: string; price_per_mtok_usd: { input: number; output: number } }[];
  tasks: string[];
  /** The recorded verdicts: accuracy of each tier model over the evaluated records. */
  recordedAccuracy: Record<string, number>;
  policies: PolicyResult[];
  random: RandomBaseline & { costShareOfStrong: number; gapRecovered: number | null };
  sweep: SweepPoint[];
  /**
   * The router's confidence in the cheapest model's answers against the recorded verdicts (ROC AUC
   * 0.5 = no better than chance); null when attempts carry no confidence.
   */
  cheapConfidence: {
    model: string;
    /** Answers with a confidence. */
    scored: number;
    /** Confidence signal → answers. */
    signals: Record<string, number>;
    rocAuc: number | null;
    meanWhenRight: number | null;
    meanWhenWrong: number | null;
  } | null;
  /** What the job object did not carry that the evaluation would have used. */
  jobObjectGaps: string[];
  /** Cheap-first, record by record. */
  cheapFirstItems: GradedItem[];
  headline: string;
}

/** `0.123` → `12.3`; one decimal, as the headline requires. */
export function percent(share: number | null): string {
  return share === null || !Number.isFinite(share) ? "n/a" : (share * 100).toFixed(1);
}

/** The last line, exactly as scripts parse it. */
export function headline(cheapFirst: PolicyResult): string {
  return (
    `cheap-first: cost ${percent(cheapFirst.costShareOfStrong)}% of always-strong, ` +
    `accuracy ${percent(cheapFirst.summary.accuracy)}%, ` +
    `gap recovered ${percent(cheapFirst.gapRecovered)}%, ` +
    `escalated ${percent(cheapFirst.summary.escalatedShare)}%`
  );
}

function table(header: string[], rows: string[][]): string[] {
  const widths = header.map((cell, column) =>
    Math.max(cell.length, ...rows.map((row) => (row[column] ?? "").length)),
  );
  const line = (cells: string[]) =>
    cells
      .map((cell, column) =>
        column === 0 ? cell.padEnd(widths[column] ?? 0) : cell.padStart(widths[column] ?? 0),
      )
      .join("  ");
  return [line(header), line(widths.map((width) => "-".repeat(width))), ...rows.map(line)];
}

const usd = (value: number) => `$${value.toFixed(4)}`;
const ms = (value: number) => `${Math.round(value)}`;

/** The whole report as text lines; the headline is last. */
export function formatReport(report: RoutingEvalReport): string[] {
  const cheapFirst = report.policies.find((policy) => policy.name === "cheap-first");
  const lines: string[] = [
    `routing evaluation: ${report.records} records from ${report.replayFiles.join(", ")}`,
    `tiers: ${report.tiers.map((tier) => `${tier.name} = ${tier.model} ($${tier.price_per_mtok_usd.input}/$${tier.price_per_mtok_usd.output} per 1M)`).join(", ")}`,
    `recorded accuracy: ${Object.entries(report.recordedAccuracy)
      .map(([model, accuracy]) => `${model} ${percent(accuracy)}%`)
      .join(", ")}`,
    "",
  ];
  const rows = report.policies.map((policy) => [
    policy.minConfidence === null ? policy.name : `${policy.name} (min_confidence ${policy.minConfidence})`,
    usd(policy.summary.costUsd),
    `${percent(policy.costShareOfStrong)}%`,
    `${percent(policy.summary.accuracy)}%`,
    `${percent(policy.gapRecovered)}%`,
    `${percent(policy.summary.escalatedShare)}%`,
    policy.summary.attemptsPerJob.toFixed(2),
    ms(policy.summary.p50Ms),
    ms(policy.summary.p95Ms),
  ]);
  rows.push([
    `random at equal cost (${percent(report.random.shareToStrong)}% strong)`,
    usd(report.random.expectedCostUsd),
    `${percent(report.random.costShareOfStrong)}%`,
    `${percent(report.random.expectedAccuracy)}%`,
    `${percent(report.random.gapRecovered)}%`,
    "-",
    "-",
    "-",
    "-",
  ]);
  lines.push(
    ...table(
      [
        "policy",
        "cost",
        "cost/strong",
        "accuracy",
        "gap recovered",
        "escalated",
        "attempts/job",
        "p50 ms",
        "p95 ms",
      ],
      rows,
    ),
  );
  const { sampled } = report.random;
  lines.push(
    `random at equal cost, ${sampled.draws} seeded draws (seed ${sampled.seed}): accuracy ${percent(sampled.meanAccuracy)}% (5-95%: ${percent(sampled.accuracyP05)}-${percent(sampled.accuracyP95)}%)`,
  );
  const unanswered = report.policies.filter((policy) => policy.summary.unanswered > 0);
  for (const policy of unanswered)
    lines.push(
      `note: ${policy.name}: ${policy.summary.unanswered} jobs ended without an answer (graded wrong)`,
    );
  for (const policy of report.policies.filter((p) => p.summary.answersNotRecorded > 0)) {
    lines.push(
      `warning: ${policy.name}: ${policy.summary.answersNotRecorded} answers differ from their model's recorded text`,
    );
  }
  const confidence = report.cheapConfidence;
  if (confidence) {
    const signals = Object.entries(confidence.signals)
      .map(([signal, count]) => `${signal} ${count}`)
      .join(", ");
    const fixed = (value: number | null) => (value === null ? "n/a" : value.toFixed(3));
    lines.push(
      `confidence of ${confidence.model}'s answers vs the recorded verdicts: ROC AUC ${fixed(confidence.rocAuc)}, mean ${fixed(confidence.meanWhenRight)} when right, ${fixed(confidence.meanWhenWrong)} when wrong (${confidence.scored} answers; signals: ${signals})`,
    );
  }
  for (const gap of report.jobObjectGaps) lines.push(`note: ${gap}`);

  if (report.sweep.length > 0) {
    lines.push("", "confidence threshold sweep (cheap-first, one run per threshold):");
    lines.push(
      ...table(
        ["min_confidence", "cost", "cost/strong", "accuracy", "gap recovered", "escalated", "attempts/job"],
        report.sweep.map((point) => [
          String(point.minConfidence),
          usd(point.summary.costUsd),
          `${percent(point.costShareOfStrong)}%`,
          `${percent(point.summary.accuracy)}%`,
          `${percent(point.gapRecovered)}%`,
          `${percent(point.summary.escalatedShare)}%`,
          point.summary.attemptsPerJob.toFixed(2),
        ]),
      ),
    );
  }
  lines.push("", `took ${report.durationS.toFixed(1)} s`);
  if (cheapFirst) lines.push(headline(cheapFirst));
  return lines;
}
