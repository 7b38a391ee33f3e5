import { redisFixture } from "@llmr/testing";
import { describe, expect, it } from "vitest";
import { runMechanicsCheck } from "./run-mechanics.ts";

const redis = redisFixture();

describe("the mechanics check end to end on the default config", () => {
  it("runs easy and hard simulated prompts through the system and says where each kind ended up", async () => {
    const report = await runMechanicsCheck({
      perKind: 4,
      concurrency: 8,
      redisUrl: redis.url,
      keyPrefix: redis.prefix,
    });
    const [easy, hard] = report.kinds;
    expect(easy).toMatchObject({ kind: "easy", jobs: 4 });
    expect(hard).toMatchObject({ kind: "hard", jobs: 4 });
    // Easy prompts are within the first tier's reach: they never need another tier.
    expect(easy?.finalTiers).toEqual({ fast: 4 });
    expect(easy?.stayedShare).toBe(1);
    expect(report.headline).toMatch(
      /^mechanics: easy stayed on their first tier 100\.0%, hard escalated \d+\.\d%$/,
    );
  });
});
