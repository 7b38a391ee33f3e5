import { describe, expect, it } from "vitest";
import { progressNote } from "./job-commands.ts";

describe("progressNote", () => {
  it("says how far a job summarizing a long input in parts is", () => {
    expect(progressNote({ phase: "map", round: 1, chunks_done: 3, chunks_total: 7 })).toBe(
      "summarizing in parts: 3/7 done",
    );
    expect(progressNote({ phase: "map", round: 2, chunks_done: 0, chunks_total: 2 })).toBe(
      "summarizing in parts: 0/2 done (round 2: summaries of summaries)",
    );
    expect(progressNote({ phase: "reduce", round: 1, chunks_done: 7, chunks_total: 7 })).toBe(
      "combining the summaries of 7 parts",
    );
  });
});
