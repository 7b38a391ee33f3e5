import { describe, expect, it } from "vitest";
import { confidenceText } from "./judge-answer.ts";

describe("confidenceText", () => {
  it("shows two decimals unless they would put the value on the other side of the threshold", () => {
    expect(confidenceText(0.42, 0.5)).toBe("0.42");
    expect(confidenceText(0.4996, 0.5)).toBe("0.4996");
    expect(confidenceText(0.6996, 0.7)).toBe("0.6996");
    expect(confidenceText(0.6949, 0.7)).toBe("0.69");
    expect(confidenceText(0.7, 0.7)).toBe("0.70");
    expect(confidenceText(0.90123, null)).toBe("0.90");
  });
});
