import { describe, expect, it } from "vitest";
import { parseList, parsePositiveInt, parseThresholds, userPath, withoutSeparators } from "./cli-args.ts";
import { EvaluationError } from "./evaluation-error.ts";

describe("command-line values", () => {
  it("parses thresholds, refusing values outside [0, 1]", () => {
    expect(parseThresholds("0.1, 0.25,1")).toEqual([0.1, 0.25, 1]);
    expect(parseThresholds("none")).toEqual([]);
    expect(() => parseThresholds("0.2,1.5")).toThrow(EvaluationError);
    expect(() => parseThresholds("0.2,,0.3")).toThrow(/--sweep/);
  });

  it("parses counts and lists", () => {
    expect(parsePositiveInt("limit", "20")).toBe(20);
    expect(parsePositiveInt("limit", undefined)).toBeUndefined();
    expect(() => parsePositiveInt("limit", "0")).toThrow(/--limit/);
    expect(parseList("a, b,,c")).toEqual(["a", "b", "c"]);
  });

  it("resolves paths from where the user ran pnpm and drops -- separators", () => {
    expect(userPath("data/x.jsonl", { INIT_CWD: "/home/me" })).toBe("/home/me/data/x.jsonl");
    expect(userPath("/abs/x.jsonl", { INIT_CWD: "/home/me" })).toBe("/abs/x.jsonl");
    expect(withoutSeparators(["--", "--limit", "5", "f.jsonl"])).toEqual(["--limit", "5", "f.jsonl"]);
  });
});
