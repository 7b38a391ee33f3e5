import { describe, expect, it } from "vitest";
import { decideFault, drawFault } from "./fault-plan.ts";

const base = { rates: undefined, seed: 42, contentKey: "abc" };

describe("decideFault", () => {
  it("applies a marker fault with its defaults", () => {
    expect(decideFault({ ...base, directives: { fault: "503" }, occurrence: 0 })).toEqual({
      kind: "503",
      source: "marker",
      retryAfterS: 1,
      retryAfterMs: undefined,
      shouldRetry: undefined,
      chunkDelayMs: 200,
    });
  });

  it("limits a marker fault to the first `times` occurrences", () => {
    const directives = { fault: "429" as const, times: 2 };
    expect(decideFault({ ...base, directives, occurrence: 0 })?.kind).toBe("429");
    expect(decideFault({ ...base, directives, occurrence: 1 })?.kind).toBe("429");
    expect(decideFault({ ...base, directives, occurrence: 2 })).toBeUndefined();
  });

  it("draws probabilistic faults reproducibly, at about the configured rate", () => {
    const rates = { "500": 0.3 };
    const draws = Array.from({ length: 400 }, (_unused, occurrence) =>
      decideFault({ ...base, rates, directives: {}, occurrence }),
    );
    const again = Array.from({ length: 400 }, (_unused, occurrence) =>
      decideFault({ ...base, rates, directives: {}, occurrence }),
    );
    expect(draws).toEqual(again);
    const failures = draws.filter((decision) => decision?.kind === "500").length;
    expect(failures).toBeGreaterThan(80);
    expect(failures).toBeLessThan(160);
  });
});

describe("drawFault", () => {
  it("walks cumulative probabilities in a fixed order", () => {
    const rates = { "429": 0.1, hang: 0.2 };
    expect(drawFault(rates, 0.05)).toBe("429");
    expect(drawFault(rates, 0.25)).toBe("hang");
    expect(drawFault(rates, 0.35)).toBeUndefined();
    expect(drawFault(undefined, 0)).toBeUndefined();
  });
});
