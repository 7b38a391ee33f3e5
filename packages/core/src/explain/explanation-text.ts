import { usd } from "./explain-words.ts";
import type { JobExplanation } from "./explanation-schema.ts";

/** The widest step kind (`deployment_skipped`), so every step's text starts in one column. */
const KIND_WIDTH = 18;

/**
 * The explanation as plain text lines for a terminal (`?format=text`): a header, the summary,
 * one line per step (`<time>  <kind>  <text>`) and the cost of every attempt.
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
  for (const step of explanation.steps) {
    lines.push(`${step.at}  ${step.kind.padEnd(KIND_WIDTH)}  ${step.text}`);
  }
  lines.push("", `cost: ${usd(explanation.cost.total_usd)} in total`);
  for (const attempt of explanation.cost.by_attempt) {
    lines.push(
      `  attempt ${attempt.n}: ${usd(attempt.cost_usd)}, ${attempt.input_tokens} input + ${attempt.output_tokens} output tokens, ${attempt.latency_ms} ms, ${attempt.outcome}, ${attempt.provider} ${attempt.model} on "${attempt.tier}"`,
    );
  }
  return `${lines.join("\n")}\n`;
}
