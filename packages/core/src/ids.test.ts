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

  it("makes batch ids of the same shape under their own prefix", () => {
    const id = newBatchId(1_700_000_000_000);
    expect(id).toMatch(BATCH_ID_PATTERN);
    expect(id).not.toMatch(JOB_ID_PATTERN);
    expect(id < newBatchId(1_700_000_000_001)).toBe(true);
  });
});
