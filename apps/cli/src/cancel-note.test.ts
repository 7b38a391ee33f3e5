import { describe, expect, it } from "vitest";
import type { BatchObject } from "./api-types.ts";
import { cancelNote } from "./cancel-note.ts";

const batch = (fields: Partial<BatchObject>): BatchObject => ({
  id: "batch_1",
  object: "batch",
  status: "cancelled",
  counts: { total: 50_000, queued: 48_000, running: 4, succeeded: 1_900, failed: 0, cancelled: 96 },
  cost_usd: 0.01,
  created_at: "2026-01-15T01:00:00Z",
  finished_at: null,
  cancel_requested_at: "2026-01-15T02:00:00Z",
  ...fields,
});

describe("the note of llmr batch cancel", () => {
  it("says how many items are still stopping and how to follow them", () => {
    expect(cancelNote(batch({}))).toBe(
      "cancel requested; 48004 items still stopping.\n  follow: llmr batch status batch_1 --wait",
    );
    expect(cancelNote(batch({ counts: { ...batch({}).counts, queued: 0, running: 1 } }))).toMatch(
      /^cancel requested; 1 item still stopping\./,
    );
  });

  it("says nothing once every item is final", () => {
    expect(cancelNote(batch({ finished_at: "2026-01-15T02:00:05Z" }))).toBeUndefined();
    expect(cancelNote(batch({ counts: { ...batch({}).counts, queued: 0, running: 0 } }))).toBeUndefined();
    expect(cancelNote(batch({ status: "completed", finished_at: "2026-01-15T02:00:05Z" }))).toBeUndefined();
  });
});
