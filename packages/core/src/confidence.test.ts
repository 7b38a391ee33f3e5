import { describe, expect, it } from "vitest";
import { computeConfidence } from "./confidence.ts";

describe("computeConfidence", () => {
  it("is the geometric mean token probability when logprobs are there", () => {
    const result = computeConfidence([
      { token: "a", logprob: Math.log(0.9) },
      { token: "b", logprob: Math.log(0.4) },
    ]);
    expect(result.signal).toBe("logprobs");
    expect(result.value).toBeCloseTo(0.6, 4);
  });

  it("says there is no signal rather than inventing one", () => {
    expect(computeConfidence(undefined)).toEqual({ value: null, signal: null });
    expect(computeConfidence([])).toEqual({ value: null, signal: null });
  });
});
