import { redisFixture } from "@llmr/testing";
import { describe, expect, it } from "vitest";
import type { ScenarioResult } from "../src/index.ts";
import { runBench, SCENARIOS, toMarkdown } from "../src/index.ts";

const redis = redisFixture();

function expectFinitePositive(figures: Record<string, number>) {
  expect(Object.keys(figures).length).toBeGreaterThan(0);
  for (const [name, value] of Object.entries(figures)) {
    expect.soft(Number.isFinite(value) && value > 0, `${name} = ${value}`).toBe(true);
  }
}

describe("pnpm bench --quick", () => {
  it("runs every scenario and reports baseline, ours and finite positive ratios", async () => {
    const report = await runBench({ quick: true, redisUrl: redis.url });

    expect(report.quick).toBe(true);
    expect(report.scenarios.map((scenario: ScenarioResult) => scenario.scenario)).toEqual([...SCENARIOS]);
    for (const scenario of report.scenarios) {
      expect(Object.keys(scenario.ours).sort()).toEqual(Object.keys(scenario.baseline).sort());
      expectFinitePositive(scenario.baseline);
      expectFinitePositive(scenario.ours);
      expectFinitePositive(scenario.ratios);
      expect(scenario.ratios).toHaveProperty("throughput");
      expect(scenario.ratios).toHaveProperty("p99");
    }
    expect(toMarkdown(report)).toContain("| worker-overhead | jobsPerSecond |");
  });
});
