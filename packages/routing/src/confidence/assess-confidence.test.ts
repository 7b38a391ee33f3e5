import { describe, expect, it } from "vitest";
import { assessConfidence } from "./assess-confidence.ts";
import { PLAIN_ANSWER_CONFIDENCE } from "./heuristic-confidence.ts";

const plain = { finishReason: "stop", selfReported: false } as const;
const tokens = (...probabilities: number[]) =>
  probabilities.map((p, i) => ({ token: `t${i}`, logprob: Math.log(p) }));

describe("assessConfidence: logprobs", () => {
  it("is high for near-certain tokens and lower when the answer's key token was a coin flip", () => {
    const sure = assessConfidence({
      ...plain,
      text: "Paris",
      outputTokens: 3,
      logprobs: tokens(0.99, 0.98, 0.99),
    });
    expect(sure.signal).toBe("logprobs");
    expect(sure.value).toBeGreaterThan(0.95);
    const shaky = assessConfidence({
      ...plain,
      text: "Lyon",
      outputTokens: 3,
      logprobs: tokens(0.99, 0.99, 0.5),
    });
    expect(shaky.value).toBeCloseTo(0.68, 2);
    expect(shaky.detail).toBe(
      "geometric mean token probability 0.79 over 3 tokens; weakest 1 token average 0.50",
    );
  });

  it("does not let a long run of certain filler hide an uncertain stretch", () => {
    const filler = Array.from({ length: 90 }, () => 0.999);
    const answer = tokens(...filler, ...Array.from({ length: 10 }, () => 0.2));
    const confidence = assessConfidence({ ...plain, text: "…", outputTokens: 100, logprobs: answer });
    const geometricMean = Math.exp(answer.reduce((sum, t) => sum + t.logprob, 0) / answer.length);
    expect(geometricMean).toBeGreaterThan(0.85);
    expect(confidence.value).toBeLessThan(0.6);
  });

  it("stays in [0, 1] for certain, impossible, rounded-positive and NaN logprobs", () => {
    const odd = [
      { token: "a", logprob: 0.0001 },
      { token: "b", logprob: Number.NaN },
      { token: "c", logprob: Number.NEGATIVE_INFINITY },
    ];
    const value = assessConfidence({ ...plain, text: "abc", outputTokens: 3, logprobs: odd }).value;
    expect(value).toBeGreaterThanOrEqual(0);
    expect(value).toBeLessThanOrEqual(1);
    expect(assessConfidence({ ...plain, text: "a", outputTokens: 1, logprobs: tokens(1) }).value).toBe(1);
  });

  it("is preferred to a self-report", () => {
    const input = { ...plain, text: '{"label":"spam"}', outputTokens: 5, selfReported: true };
    const confidence = assessConfidence({ ...input, outputJson: { confidence: 0.1 }, logprobs: tokens(0.9) });
    expect(confidence.signal).toBe("logprobs");
  });
});

describe("assessConfidence: self-reported", () => {
  const input = {
    ...plain,
    text: '{"label":"spam","confidence":0.35}',
    outputTokens: 12,
    selfReported: true,
  };

  it("takes the answer's confidence field when the task asks for one", () => {
    const confidence = assessConfidence({ ...input, outputJson: { label: "spam", confidence: 0.35 } });
    expect(confidence).toEqual({
      value: 0.35,
      signal: "self_reported",
      detail: "the answer reports confidence 0.35",
    });
  });

  it("ignores it when the task does not ask for one", () => {
    const confidence = assessConfidence({ ...input, selfReported: false, outputJson: { confidence: 0.35 } });
    expect(confidence.signal).toBe("heuristic");
  });

  it("falls back to the heuristics, saying why, when the field is missing or out of range", () => {
    const missing = assessConfidence({ ...input, outputJson: { label: "spam" } });
    expect(missing.signal).toBe("heuristic");
    expect(missing.detail).toMatch(
      /^no usable self-reported confidence \(the answer has no confidence field\); /,
    );
    const percent = assessConfidence({ ...input, outputJson: { label: "spam", confidence: 85 } });
    expect(percent.detail).toMatch(/its confidence 85 is outside \[0, 1\]/);
    expect(assessConfidence({ ...input, outputJson: null }).signal).toBe("heuristic");
  });
});

describe("assessConfidence: text heuristics", () => {
  const answer = (text: string, outputTokens = 40, extra: object = {}) =>
    assessConfidence({ ...plain, text, outputTokens, ...extra });

  it("gives a plain answer the plain-answer confidence", () => {
    const confidence = answer("A dead-letter queue holds messages that could not be processed.");
    expect(confidence).toEqual({
      value: PLAIN_ANSWER_CONFIDENCE,
      signal: "heuristic",
      detail: "a plain answer: no hedging, nothing unusual",
    });
  });

  it("scores hedged text lower than a plain answer, and names the phrases", () => {
    const hedged = answer("I'm not sure, but it is possibly the second option.");
    expect(hedged.value).toBeLessThan(0.5);
    expect(hedged.detail).toBe('2 hedging phrases: "I\'m not sure", "possibly"');
    const mild = answer("I think the second option is better.");
    expect(mild.value).toBeLessThan(PLAIN_ANSWER_CONFIDENCE);
    expect(mild.value).toBeGreaterThan(hedged.value);
  });

  it("weighs phrases, not words: advice with 'might' is not doubt, 'it might be' is", () => {
    expect(answer("You might want to restart the worker first.").value).toBe(PLAIN_ANSWER_CONFIDENCE);
    expect(answer("It might be the worker.").value).toBeLessThan(PLAIN_ANSWER_CONFIDENCE);
    expect(answer("I’m not certain this is right.").detail).toContain("I'm not certain");
  });

  it("counts a soft hedge less in a long answer than in a short one", () => {
    const text = "The queue is probably the bottleneck.";
    expect(answer(text, 2_000).value).toBeGreaterThan(answer(text, 20).value);
  });

  it("lowers answers shorter or longer than the task expects, and very short ones", () => {
    const expected = { expectedOutputTokens: { min: 100, max: 400 } };
    const short = answer("Yes.", 10, expected);
    expect(short.value).toBeLessThan(PLAIN_ANSWER_CONFIDENCE);
    expect(short.detail).toBe("10 output tokens, fewer than the expected 100");
    expect(answer("…", 800, expected).detail).toBe("800 output tokens, more than the expected 400");
    expect(answer("Yes.", 2).detail).toBe("a very short answer (2 tokens)");
  });

  it("lowers cut-off and filtered answers and gives an empty one 0", () => {
    expect(answer("The first step is", 40, { finishReason: "length" }).value).toBeCloseTo(0.54, 5);
    expect(answer("Sorry", 40, { finishReason: "content_filter" }).detail).toBe("stopped by content filter");
    expect(answer("  \n").value).toBe(0);
  });

  it("always stays in [0, 1], however much doubt piles up", () => {
    const doubt =
      "I don't know. I'm not sure. Hard to say. I could be wrong. Maybe. Possibly. I think. ".repeat(5);
    const confidence = answer(doubt, 1, {
      finishReason: "length",
      expectedOutputTokens: { min: 500, max: 600 },
    });
    expect(confidence.value).toBeGreaterThanOrEqual(0);
    expect(confidence.value).toBeLessThan(0.05);
  });
});
