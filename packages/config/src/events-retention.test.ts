import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { ConfigError } from "./config-error.ts";
import { DEFAULT_CONFIG_PATH, parseConfig } from "./load-config.ts";

const defaultYaml = readFileSync(DEFAULT_CONFIG_PATH, "utf8");
const noKeys = { env: {} };
const withJobs = (retention: string, events?: string) =>
  defaultYaml.replace(
    / {2}retention_s: 604800\n {2}# .*\n {2}events_retention_s: 86400\n/,
    `  retention_s: ${retention}\n${events === undefined ? "" : `  events_retention_s: ${events}\n`}`,
  );

function issuesOf(yaml: string): string[] {
  try {
    parseConfig(yaml, "x.yaml", noKeys);
  } catch (error) {
    if (error instanceof ConfigError) return error.issues.map((issue) => `${issue.path}: ${issue.message}`);
    throw error;
  }
  throw new Error("expected a ConfigError");
}

describe("jobs.events_retention_s", () => {
  it("keeps a finished job's events a day in the default config, its record a week", () => {
    const config = parseConfig(defaultYaml, "x.yaml", noKeys);
    expect(config.jobs).toMatchObject({ retentionSeconds: 604_800, eventsRetentionSeconds: 86_400 });
  });

  it("takes a shorter value, or one equal to retention_s", () => {
    expect(parseConfig(withJobs("604800", "3600"), "x.yaml", noKeys).jobs.eventsRetentionSeconds).toBe(3600);
    expect(parseConfig(withJobs("7200", "7200"), "x.yaml", noKeys).jobs.eventsRetentionSeconds).toBe(7200);
  });

  it("when absent, follows a retention_s shorter than a day instead of refusing the config", () => {
    expect(parseConfig(withJobs("3600"), "x.yaml", noKeys).jobs).toMatchObject({
      retentionSeconds: 3600,
      eventsRetentionSeconds: 3600,
    });
    expect(parseConfig(withJobs("604800"), "x.yaml", noKeys).jobs.eventsRetentionSeconds).toBe(86_400);
  });

  it("refuses a value above retention_s, naming both", () => {
    expect(issuesOf(withJobs("3600", "86400"))).toEqual([
      "jobs.events_retention_s: must be at most jobs.retention_s (3600), got 86400",
    ]);
  });

  it("refuses 0, a negative or a fractional number of seconds, by path", () => {
    for (const bad of ["0", "-5", "1.5"]) {
      expect(issuesOf(withJobs("604800", bad))).toEqual([
        expect.stringMatching(/^jobs\.events_retention_s: /),
      ]);
    }
  });
});
