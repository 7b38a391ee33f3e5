import { existsSync, mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { BenchReport } from "./results.ts";
import { writeReport } from "./results.ts";

const report = (startedAt: string): BenchReport => ({
  startedAt,
  durationSeconds: 1,
  quick: false,
  node: "v24",
  cpus: 2,
  scenarios: [],
});

describe("writeReport", () => {
  it("lets only a full run replace latest.{json,md}; a partial run is kept apart", () => {
    const dir = mkdtempSync(join(tmpdir(), "llmr-bench-"));
    expect(writeReport(dir, report("2026-01-01T00:00:00.000Z"), { full: true })).toHaveLength(3);
    writeReport(dir, report("2026-01-02T00:00:00.000Z"), { full: false });
    expect(readdirSync(dir).sort()).toEqual([
      "2026-01-01T00-00-00-000Z.json",
      "2026-01-02T00-00-00-000Z-partial.json",
      "latest.json",
      "latest.md",
    ]);
    expect(existsSync(join(dir, "latest.json"))).toBe(true);
    expect(JSON.parse(readFileSync(join(dir, "latest.json"), "utf8")).startedAt).toBe(
      "2026-01-01T00:00:00.000Z",
    );
  });
});
