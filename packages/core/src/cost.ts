import type { Usage } from "./job-record.ts";

const TOKENS_PER_MTOK = 1_000_000;
// Costs are kept to 1e-10 USD: below a millionth of a cent, and free of float noise in sums.
const COST_DECIMALS = 10;

/** Cost in USD of one call, from the model's list price per 1M tokens. */
export function attemptCostUsd(usage: Usage, pricePerMTokUsd: { input: number; output: number }): number {
  return roundUsd(
    (usage.input_tokens * pricePerMTokUsd.input + usage.output_tokens * pricePerMTokUsd.output) /
      TOKENS_PER_MTOK,
  );
}

/** Sum of costs, rounded the same way as each part. */
export function sumCostUsd(costs: Iterable<number>): number {
  let total = 0;
  for (const cost of costs) total += cost;
  return roundUsd(total);
}

function roundUsd(value: number): number {
  return Number(value.toFixed(COST_DECIMALS));
}
