import { describe, expect, it } from "vitest";
import { MAX_RETRY_DELAY_MS, retryDelayMs } from "./retry-delay.ts";

const low = () => 0;
const high = () => 0.999_999;

describe("retryDelayMs", () => {
  it("backs off exponentially with jitter between half and all of the step", () => {
    expect(
      retryDelayMs({ retriesSoFar: 0, retryAfterMs: undefined, sameDeploymentNext: true, random: low }),
    ).toBe(250);
    expect(
      retryDelayMs({ retriesSoFar: 0, retryAfterMs: undefined, sameDeploymentNext: true, random: high }),
    ).toBe(500);
    expect(
      retryDelayMs({ retriesSoFar: 3, retryAfterMs: undefined, sameDeploymentNext: true, random: high }),
    ).toBe(4000);
  });

  it("waits at least the provider's retry-after when the same deployment is next", () => {
    expect(
      retryDelayMs({ retriesSoFar: 0, retryAfterMs: 7_000, sameDeploymentNext: true, random: low }),
    ).toBe(7_000);
  });

  it("does not wait on another deployment's retry-after", () => {
    expect(
      retryDelayMs({ retriesSoFar: 0, retryAfterMs: 7_000, sameDeploymentNext: false, random: low }),
    ).toBe(250);
  });

  it("never waits longer than the cap", () => {
    expect(retryDelayMs({ retriesSoFar: 30, retryAfterMs: 3_600_000, sameDeploymentNext: true })).toBe(
      MAX_RETRY_DELAY_MS,
    );
  });
});
