import { usd } from "./explain-words.ts";
import type { JobExplanation } from "./explanation-schema.ts";

/** The widest step kind (`deployment_skipped`), so every step's text starts in one column. */
const KIND_WIDTH = 18;
const PART_INDENT = "  ";

/**
 * The explanation as plain text lines for a terminal (`?format=text`): a header, the summary,
 * one line per step (`<time>  <kind>  <text>`) and the cost of every attempt. A map-reduce job's
 * part steps are indented under their part's line, and its cost is split into parts and combining.
 *
 * @example
 * renderExplanationText(explainJob({ record }))
 * // job job_… (tenant "acme", task "chat", interactive): succeeded
 * // Succeeded on tier "fast" (openai gpt-5.4-nano) at the first attempt; …
 */
export function renderExplanationText(explanation: JobExplanation): string {
  const lines = [
    `job ${explanation.job_id} (tenant "${explanation.tenant}", task "${explanation.task}", ${explanation.class}): ${explanation.status}`,
    explanation.summary,
    "",
  ];
  // A part's attempt steps are indented under its `part` line; the kind column widens to fit.
  const width =
    KIND_WIDTH + (explanation.steps.some((step) => step.kind === "part") ? PART_INDENT.length : 0);
  for (const step of explanation.steps) {
    const kind =
      step.kind !== "part" && "part" in step && step.part ? `${PART_INDENT}${step.kind}` : step.kind;
    lines.push(`${step.at}  ${kind.padEnd(width)}  ${step.text}`);
  }
  const { parts_usd: parts, combine_usd: combine } = explanation.cost;
  const split = parts === undefined ? "" : `: ${usd(parts)} on the parts, ${usd(combine ?? 0)} combining`;
  lines.push("", `cost: ${usd(explanation.cost.total_usd)} in total${split}`);
  for (const attempt of explanation.cost.by_attempt) {
    const part = attempt.chunk
      ? ` (round ${attempt.chunk.round} part ${attempt.chunk.index}/${attempt.chunk.total})`
      : "";
    lines.push(
      `  attempt ${attempt.n}${part}: ${usd(attempt.cost_usd)}, ${attempt.input_tokens} input + ${attempt.output_tokens} output tokens, ${attempt.latency_ms} ms, ${attempt.outcome}, ${attempt.provider} ${attempt.model} on "${attempt.tier}"`,
    );
  }
  return `${lines.join("\n")}\n`;
}
