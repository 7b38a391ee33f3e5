import { describe, expect, it } from "vitest";
import { attemptCostUsd, sumCostUsd } from "./cost.ts";

describe("cost math", () => {
  it("prices input and output tokens per 1M at list price", () => {
    // 12 in × $0.15/M + 40 out × $0.60/M = 0.0000018 + 0.000024
    expect(attemptCostUsd({ input_tokens: 12, output_tokens: 40 }, { input: 0.15, output: 0.6 })).toBe(
      0.0000258,
    );
    expect(
      attemptCostUsd({ input_tokens: 1_000_000, output_tokens: 1_000_000 }, { input: 2, output: 8 }),
    ).toBe(10);
  });

  it("costs nothing for a call that used no tokens", () => {
    expect(attemptCostUsd({ input_tokens: 0, output_tokens: 0 }, { input: 15, output: 75 })).toBe(0);
  });

  it("sums attempts without float noise", () => {
    expect(sumCostUsd([0.1, 0.2])).toBe(0.3);
    expect(sumCostUsd([0.0000258, 0.0000258, 0.0000258])).toBe(0.0000774);
    expect(sumCostUsd([])).toBe(0);
  });
});
