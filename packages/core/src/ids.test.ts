import { describe, expect, it } from "vitest";
import { BATCH_ID_PATTERN, JOB_ID_PATTERN, newBatchId, newJobId } from "./ids.ts";

describe("newJobId", () => {
  it("makes prefixed ids that sort by creation time and match the accepted pattern", () => {
    const earlier = newJobId(1_700_000_000_000);
    const later = newJobId(1_700_000_000_001);
    expect(earlier).toMatch(JOB_ID_PATTERN);
    expect(earlier < later).toBe(true);
    expect(new Set(Array.from({ length: 1000 }, () => newJobId())).size).toBe(1000);
  });

  it("draws every random character fresh and evenly, across many refills of its random pool", () => {
    // 10,000 ids use 160,000 random bytes: the 4 KiB pool is refilled about 40 times.
    const ids = Array.from({ length: 10_000 }, () => newJobId(1_700_000_000_000));
    expect(new Set(ids).size).toBe(ids.length);
    const counts = new Map<string, number>();
    for (const id of ids) for (const char of id.slice(-16)) counts.set(char, (counts.get(char) ?? 0) + 1);
    expect(counts.size).toBe(32);
    // 5,000 of each expected; a fair draw stays well within ±10 % (about 7 standard deviations).
    for (const count of counts.values()) expect(Math.abs(count - 5_000)).toBeLessThan(500);
  });

  it("makes batch ids of the same shape under their own prefix", () => {
    const id = newBatchId(1_700_000_000_000);
    expect(id).toMatch(BATCH_ID_PATTERN);
    expect(id).not.toMatch(JOB_ID_PATTERN);
    expect(id < newBatchId(1_700_000_000_001)).toBe(true);
  });
});
