import { describe, expect, it } from "vitest";
import { estimateDifficulty, judge } from "./difficulty.ts";

describe("estimateDifficulty", () => {
  it("is stable for the same seed and prompt", () => {
    expect(estimateDifficulty(1, "What is a queue?", 10)).toBe(estimateDifficulty(1, "What is a queue?", 10));
  });

  it("keeps plain prompts easy-to-medium and makes reasoning and code prompts hard, whatever the seed", () => {
    const plain = "Tell me about queues";
    const hard = "Prove the bound, derive the cost and compare the trade-offs:\n```ts\nconst q = [];\n```";
    for (let seed = 0; seed < 20; seed++) {
      expect(estimateDifficulty(seed, plain, 8)).toBeLessThanOrEqual(0.35);
      expect(estimateDifficulty(seed, hard, 30)).toBeGreaterThanOrEqual(0.65);
    }
  });

  it("rises with input length", () => {
    const text = "Tell me about queues";
    expect(estimateDifficulty(3, text, 2000)).toBeGreaterThan(estimateDifficulty(3, text, 600));
    expect(estimateDifficulty(3, text, 600)).toBeGreaterThan(estimateDifficulty(3, text, 8));
  });

  it("stays within [0, 1)", () => {
    const everything = "prove derive compare analyze evaluate theorem optimize ```code```";
    expect(estimateDifficulty(9, everything, 10_000)).toBeLessThan(1);
  });
});

describe("judge", () => {
  it("is confident exactly when capability covers the difficulty", () => {
    expect(judge(0.9, 0.85)).toMatchObject({ confident: true });
    expect(judge(0.3, 0.85)).toMatchObject({ confident: false });
    expect(judge(0.9, 0.2).confidence).toBeGreaterThan(judge(0.9, 0.85).confidence);
    expect(judge(0.3, 0.85).confidence).toBeLessThan(0.5);
  });

  it("lets a forced confidence decide, moving the difficulty to match", () => {
    const hedged = judge(0.9, 0.1, 0.2);
    expect(hedged).toMatchObject({ confident: false, confidence: 0.2 });
    expect(hedged.difficulty).toBeGreaterThan(0.9);
    expect(judge(0.3, 0.99, 0.8)).toMatchObject({ confident: true, confidence: 0.8 });
  });
});
