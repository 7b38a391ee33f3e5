import { describe, expect, it } from "vitest";
import { difficultyLevels } from "./difficulty.ts";
import { parseDirectives, simMarker, stripMarkers } from "./marker.ts";

describe("simMarker", () => {
  it("writes keys in the order given and skips undefined ones", () => {
    expect(simMarker({ fault: "429", retry_after: 2, times: 1 })).toBe(
      "[[sim fault=429 retry_after=2 times=1]]",
    );
    expect(simMarker({ difficulty: "hard", latency_ms: undefined })).toBe("[[sim difficulty=hard]]");
  });
});

describe("stripMarkers", () => {
  it("removes markers and collects their pairs, later markers winning", () => {
    const stripped = stripMarkers("[[sim fault=500 times=2]] What is up? [[sim times=3]]");
    expect(stripped).toEqual({ text: "What is up?", pairs: { fault: "500", times: "3" }, found: true });
  });

  it("leaves text without markers untouched", () => {
    const text = "  keep [[this]] as is  ";
    expect(stripMarkers(text)).toEqual({ text, pairs: {}, found: false });
  });
});

describe("parseDirectives", () => {
  it("converts values to typed directives", () => {
    const parsed = parseDirectives({
      fault: "slow_stream",
      chunk_delay_ms: "5",
      should_retry: "false",
      difficulty: "hard",
      confidence: "0.3",
    });
    expect(parsed).toEqual({
      ok: true,
      value: expect.objectContaining({
        fault: "slow_stream",
        chunkDelayMs: 5,
        shouldRetry: false,
        difficulty: difficultyLevels.hard,
        confidence: 0.3,
      }),
    });
  });

  it("accepts numeric difficulty", () => {
    const parsed = parseDirectives({ difficulty: "0.42" });
    expect(parsed.ok && parsed.value.difficulty).toBe(0.42);
  });

  it("rejects unknown keys and bad values, naming them", () => {
    const unknown = parseDirectives({ faul: "429" });
    expect(unknown.ok).toBe(false);
    expect(!unknown.ok && unknown.message).toContain("faul");
    const badFault = parseDirectives({ fault: "418" });
    expect(!badFault.ok && badFault.message).toContain("fault");
    expect(parseDirectives({ confidence: "2" }).ok).toBe(false);
  });
});
