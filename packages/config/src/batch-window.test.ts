import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { ConfigError } from "./config-error.ts";
import { describeConfig } from "./describe-config.ts";
import { DEFAULT_CONFIG_PATH, parseConfig } from "./load-config.ts";

const defaultYaml = readFileSync(DEFAULT_CONFIG_PATH, "utf8");
const withBatches = (batches: string) =>
  parseConfig(`${defaultYaml}\nbatches: ${batches}\n`, "x.yaml", { env: {} });

function issuesOf(batches: string): string[] {
  try {
    withBatches(batches);
  } catch (error) {
    if (error instanceof ConfigError) return error.issues.map((issue) => `${issue.path}: ${issue.message}`);
    throw error;
  }
  throw new Error("expected a ConfigError");
}

describe("batches.window", () => {
  it("is absent by default: batch work runs at any time", () => {
    expect(parseConfig(defaultYaml, "x.yaml", { env: {} }).batches.window).toBeUndefined();
  });

  it("resolves to minutes after midnight in the named zone, past midnight too, and is in the start-up lines", () => {
    const config = withBatches('{ window: { start: "22:30", end: "04:00", time_zone: America/New_York } }');
    expect(config.batches.window).toEqual({
      startMinutes: 1350,
      endMinutes: 240,
      timeZone: "America/New_York",
    });
    expect(describeConfig(config)).toContain(
      "batch window: 22:30-04:00 America/New_York (batch work starts only then)",
    );
  });

  it("names the field and the value that is wrong, every problem at once", () => {
    expect(issuesOf('{ window: { start: "25:00", end: "6", time_zone: Mars/Olympus } }')).toEqual([
      'batches.window.start: must be a time of day HH:MM from 00:00 to 23:59 (got "25:00")',
      'batches.window.end: must be a time of day HH:MM from 00:00 to 23:59 (got "6")',
      'batches.window.time_zone: unknown time zone "Mars/Olympus" (use an IANA name like Europe/Berlin or UTC)',
    ]);
    expect(issuesOf('{ window: { start: "01:00", end: "01:00", time_zone: UTC } }')).toEqual([
      "batches.window.end: must differ from start (an empty window never opens)",
    ]);
    expect(issuesOf('{ window: { start: "01:00", end: "06:00" } }')).toEqual([
      expect.stringMatching(/^batches\.window\.time_zone: /),
    ]);
    expect(issuesOf('{ window: { start: "01:00", end: "06:00", time_zone: UTC, days: 5 } }')).toEqual([
      expect.stringMatching(/^batches\.window: .*days/),
    ]);
  });
});
