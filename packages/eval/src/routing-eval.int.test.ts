import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { redisFixture } from "@llmr/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseEvalConfig } from "./eval-config.ts";
import { readReplayRecords, recordedAccuracy } from "./replay-dataset.ts";
import { writeResults } from "./results-file.ts";
import { formatReport, type RoutingEvalReport } from "./routing-report.ts";
import { runRoutingEval } from "./run-routing-eval.ts";

const fixture = fileURLToPath(new URL("../test/fixtures/replay-20.jsonl", import.meta.url));
const redis = redisFixture();
const evalConfig = parseEvalConfig(
  {
    models: {
      "cheap-model": { price_per_mtok_usd: { input: 0.6, output: 0.6 } },
      "strong-model": { price_per_mtok_usd: { input: 10, output: 30 } },
    },
    tiers: [
      { name: "fast", model: "cheap-model" },
      { name: "capable", model: "strong-model" },
    ],
  },
  "inline",
);

let report: RoutingEvalReport;

beforeAll(async () => {
  report = await runRoutingEval({
    replayFiles: [fixture],
    evalConfig,
    concurrency: 8,
    sweep: [0.9],
    redisUrl: redis.url,
    keyPrefix: redis.prefix,
  });
});

describe("the routing evaluation end to end on a 20-record replay fixture", () => {
  it("replays every recorded answer through API, queue, worker and simulator, and grades it by the record", async () => {
    const records = await readReplayRecords([fixture]);
    const byName = new Map(report.policies.map((policy) => [policy.name, policy]));
    const strong = byName.get("always-strong");
    const cheap = byName.get("always-cheap");
    expect(report.records).toBe(20);
    // The fixture's own verdicts: 12 of 20 cheap answers right, 17 of 20 strong ones.
    expect(cheap?.summary.accuracy).toBe(recordedAccuracy(records, "cheap-model"));
    expect(strong?.summary.accuracy).toBe(recordedAccuracy(records, "strong-model"));
    expect(strong?.summary.accuracy).toBe(0.85);
    expect(cheap?.summary.answersByModel).toEqual({ "cheap-model": 20 });
    expect(strong?.summary.answersByModel).toEqual({ "strong-model": 20 });
    for (const policy of report.policies) {
      expect(policy.summary.answersNotRecorded).toBe(0);
      expect(policy.summary.unanswered).toBe(0);
    }
  });

  it("relates every policy to always-cheap and always-strong", () => {
    const byName = new Map(report.policies.map((policy) => [policy.name, policy]));
    const strong = byName.get("always-strong");
    const cheap = byName.get("always-cheap");
    const cheapFirst = byName.get("cheap-first");
    if (!strong || !cheap || !cheapFirst) throw new Error("missing a policy");
    expect(strong.costShareOfStrong).toBe(1);
    expect(strong.gapRecovered).toBe(1);
    expect(cheap.gapRecovered).toBe(0);
    expect(cheap.summary.costUsd).toBeLessThan(strong.summary.costUsd / 10);
    expect(cheapFirst.costShareOfStrong).toBeCloseTo(cheapFirst.summary.costUsd / strong.summary.costUsd, 12);
    expect(cheapFirst.gapRecovered).toBeCloseTo((cheapFirst.summary.accuracy - 0.6) / (0.85 - 0.6), 12);
    // Whatever the router did, cheap-first pays at least the cheap answer of every job.
    expect(cheapFirst.summary.costUsd).toBeGreaterThanOrEqual(cheap.summary.costUsd - 1e-12);
    // Random routing matches cheap-first's cost, unless cheap-first paid more than always-strong
    // (every job escalated and paid twice): then random sends everything to the strong model.
    if (cheapFirst.summary.costUsd <= strong.summary.costUsd) {
      expect(report.random.expectedCostUsd).toBeCloseTo(cheapFirst.summary.costUsd, 9);
    } else {
      expect(report.random.shareToStrong).toBe(1);
    }
    expect(report.sweep.map((point) => point.minConfidence)).toEqual([0.9]);
  });

  it("prints the table and ends with the headline scripts read", () => {
    const lines = formatReport(report);
    expect(lines.at(-1)).toBe(report.headline);
    expect(report.headline).toMatch(
      /^cheap-first: cost \d+\.\d% of always-strong, accuracy \d+\.\d%, gap recovered -?\d+\.\d%, escalated \d+\.\d%$/,
    );
    expect(lines.join("\n")).toMatch(/always-strong .* 85\.0% /);
  });
});

describe("writeResults", () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "llmr-eval-results-"));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it("writes the dated file and latest.json with the same report", async () => {
    const paths = await writeResults(report, {
      name: "routing",
      latestName: "latest.json",
      dir,
      date: new Date("2026-01-02T03:04:05Z"),
    });
    expect(paths).toEqual([join(dir, "routing-2026-01-02.json"), join(dir, "latest.json")]);
    const written = JSON.parse(await readFile(join(dir, "latest.json"), "utf8")) as RoutingEvalReport;
    expect(written.headline).toBe(report.headline);
    expect(written.cheapFirstItems).toHaveLength(20);
  });
});
