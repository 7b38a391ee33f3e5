import { redisFixture } from "@llmr/testing";
import { describe, expect, it } from "vitest";
import type { ScenarioResult } from "../src/index.ts";
import { runBench, SCENARIOS, toMarkdown } from "../src/index.ts";

const redis = redisFixture();

/** The ratios each scenario must report: the figures its issue asks for. */
const KEY_RATIOS: Record<string, string[]> = {
  "worker-overhead": ["throughput", "p50", "p99"],
  "api-enqueue": ["throughput", "p99"],
  "interactive-under-load": ["interactiveWaitP99", "batchThroughput"],
  "limiter-fidelity": ["rpmCallsVsLimit", "tpmTokensVsLimit"],
  memory: ["apiRss", "workerRss", "redisBytesPerJob"],
};

/** Figures are measured: finite and never negative (a count of 429s may well be 0). */
function expectFiniteNonNegative(figures: Record<string, number>) {
  expect(Object.keys(figures).length).toBeGreaterThan(0);
  for (const [name, value] of Object.entries(figures)) {
    expect.soft(Number.isFinite(value) && value >= 0, `${name} = ${value}`).toBe(true);
  }
}

describe("pnpm bench --quick", () => {
  it("runs every scenario and reports baseline, ours and the ratios its issue asks for", async () => {
    const report = await runBench({ quick: true, redisUrl: redis.url });

    expect(report.quick).toBe(true);
    expect(report.scenarios.map((scenario: ScenarioResult) => scenario.scenario)).toEqual([...SCENARIOS]);
    for (const scenario of report.scenarios) {
      expect(Object.keys(scenario.ours).sort()).toEqual(Object.keys(scenario.baseline).sort());
      expectFiniteNonNegative(scenario.baseline);
      expectFiniteNonNegative(scenario.ours);
      for (const key of KEY_RATIOS[scenario.scenario] ?? ["missing"]) {
        const value = scenario.ratios[key];
        expect
          .soft(
            value !== undefined && Number.isFinite(value) && value > 0,
            `${scenario.scenario} ${key} = ${value}`,
          )
          .toBe(true);
      }
    }
    const table = toMarkdown(report);
    expect(table).toContain("| worker-overhead | jobsPerSecond |");
    expect(table).toContain("| limiter-fidelity | rpmCallsVsLimit |");
  });
});
