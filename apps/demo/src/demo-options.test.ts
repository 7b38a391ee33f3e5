import { describe, expect, it } from "vitest";
import { DEFAULT_LATENCY_SCALE, DemoUsageError, parseDemoOptions } from "./demo-options.ts";

describe("parseDemoOptions", () => {
  it("defaults to both sets, all documents, the default latency scale", () => {
    expect(parseDemoOptions([])).toEqual({
      datasets: ["scitldr", "qmsum"],
      limits: {},
      outDir: undefined,
      latencyScale: DEFAULT_LATENCY_SCALE,
      help: false,
    });
  });

  it("takes one set, a limit for each set or per set, an output folder and a scale", () => {
    expect(parseDemoOptions(["--docs", "qmsum", "--limit", "3"]).limits).toEqual({ scitldr: 3, qmsum: 3 });
    expect(parseDemoOptions(["--docs", "qmsum"]).datasets).toEqual(["qmsum"]);
    const options = parseDemoOptions(["--limit", "scitldr=5,qmsum=1", "--out", "x", "--latency-scale", "0"]);
    expect(options.limits).toEqual({ scitldr: 5, qmsum: 1 });
    expect(options.outDir).toBe("x");
    expect(options.latencyScale).toBe(0);
  });

  it.each([
    [["--docs", "novels"], "--docs novels: use scitldr, qmsum or all"],
    [["--limit", "0"], "--limit=0: must be a whole number ≥ 1"],
    [["--limit", "arxiv=2"], '"arxiv" is not scitldr or qmsum'],
    [["--limit", "qmsum=two"], "--limit qmsum=two: must be a whole number ≥ 1"],
    [["--latency-scale=-1"], "--latency-scale -1: must be a number ≥ 0"],
    [["--fast"], "--fast"],
  ])("refuses %j naming the flag", (argv, message) => {
    expect(() => parseDemoOptions(argv)).toThrow(DemoUsageError);
    expect(() => parseDemoOptions(argv)).toThrow(message);
  });
});
