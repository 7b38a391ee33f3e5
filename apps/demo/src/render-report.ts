import type { DemoFigures } from "./report.ts";

/** Everything report.md says besides the figures. */
export interface ReportContext {
  startedAt: string;
  system: string;
  simulated: boolean;
  /** Documents per set, e.g. `{ scitldr: 618, qmsum: 35 }`. */
  documents: Record<string, number>;
  batchId: string;
  command: string;
}

const usd = (value: number) => `$${value < 1 ? value.toFixed(4) : value.toFixed(2)}`;
const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

/** report.md: a short account a person reads in a minute. */
export function renderReport(figures: DemoFigures, context: ReportContext): string {
  const estimate = figures.capableEstimate;
  const saved = estimate.costUsd - figures.costUsd;
  const docs = Object.entries(context.documents)
    .map(([set, n]) => `${n} ${set}`)
    .join(" + ");
  const lines = [
    `# Overnight batch demo: ${context.startedAt}`,
    "",
    `- **System**: ${context.system}.`,
    `- **Batch**: \`${context.batchId}\`, ${docs} documents, submitted with \`${context.command}\`.`,
    `- **Items**: ${figures.items}: ${figures.succeeded} succeeded, ${figures.failed} failed.`,
    `- **Escalations**: ${figures.escalations.length} jobs moved tiers (${figures.attempts} provider calls in all).`,
    `- **Long documents in parts** (map-reduce): ${figures.mapReduce.items} items, ${figures.mapReduce.parts} parts, ` +
      `${figures.mapReduce.partsEscalated} of them moved tiers on their own.`,
    `- **Final tiers**: ${formatCounts(figures.finalTiers)}; calls by provider: ${formatCounts(figures.attemptsByProvider)}.`,
    `- **Tokens** of the answers kept: ${figures.tokens.input} in, ${figures.tokens.output} out.`,
    `- **Total cost**: ${usd(figures.costUsd)} (every attempt, escalated and failed ones included).`,
    `- **Everything on the ${estimate.tier} tier instead** (estimate): ${usd(estimate.costUsd)}, ` +
      (saved >= 0
        ? `${usd(saved)} more than cheap-first routing spent.`
        : `${usd(-saved)} less than cheap-first routing spent: the escalations cost more than they saved here.`),
    `- **Wall time**: ${seconds(figures.wallTimeMs)} (the CLI's upload, wait and results download).`,
    "",
    "## How the estimate is computed",
    "",
    `An estimate, not a measurement: ${estimate.method}.` +
      (estimate.unpricedItems > 0
        ? ` ${estimate.unpricedItems} items got no answer at all and are priced at 0.`
        : ""),
    "",
    "## About the summaries",
    "",
    context.simulated
      ? "The provider simulator answered every call: the summaries are **simulated text**, not a model's " +
        "summary of the document, and the costs are the config's list prices applied to simulated token counts. " +
        "Set OPENAI_API_KEY / ANTHROPIC_API_KEY for real summaries (and real spend)."
      : "Real model answers, at the vendors' real token counts, priced at the config's list prices.",
    "Each document's human reference summaries (SciTLDR TLDRs, QMSum meeting summaries) are written next to " +
      "its summary in `summaries/<id>.md` and in `summaries.jsonl`; this step does not score the summaries against them.",
    "A document longer than the task's `map_reduce.chunk_tokens` is summarized in parts (each its own cheap-first, " +
      "quality-checked call), then one call combines the parts' summaries; its job's attempts and cost include the parts'.",
  ];
  if (figures.failures.length > 0) {
    lines.push("", "## Failures", "");
    for (const failure of figures.failures.slice(0, 50)) {
      lines.push(`- \`${failure.custom_id}\` (${failure.status}): ${failure.error}`);
    }
    if (figures.failures.length > 50)
      lines.push(`- … and ${figures.failures.length - 50} more in report.json`);
  }
  if (figures.escalations.length > 0) {
    lines.push("", "## Escalations (first 20)", "");
    for (const escalation of figures.escalations.slice(0, 20)) {
      lines.push(`- \`${escalation.custom_id}\`: ${escalation.tiers.join(" → ")}`);
    }
  }
  return `${lines.join("\n")}\n`;
}

function formatCounts(counts: Record<string, number>): string {
  const entries = Object.entries(counts);
  return entries.length === 0 ? "none" : entries.map(([name, n]) => `${name} ${n}`).join(", ");
}
