import { Registry } from "prom-client";
import { describe, expect, it } from "vitest";
import type { ClusterState } from "./cluster-gauges.ts";
import { registerClusterGauges } from "./cluster-gauges.ts";

const state: ClusterState = {
  queues: [{ tier: "fast", jobClass: "interactive", counts: { waiting: 3, active: 1 } }],
  breakers: [{ deployment: "fast/gpt-5.4-nano", state: "open" }],
};

describe("registerClusterGauges", () => {
  it("shows queue depth per state and the breaker's current state, from one read per scrape", async () => {
    const registry = new Registry();
    let reads = 0;
    registerClusterGauges(registry, async () => {
      reads++;
      return state;
    });
    const text = await registry.metrics();
    expect(text).toContain('llmr_queue_jobs{tier="fast",class="interactive",state="waiting"} 3');
    expect(text).toContain('llmr_queue_jobs{tier="fast",class="interactive",state="delayed"} 0');
    expect(text).toContain('llmr_breaker_state{deployment="fast/gpt-5.4-nano",state="open"} 1');
    expect(text).toContain('llmr_breaker_state{deployment="fast/gpt-5.4-nano",state="closed"} 0');
    expect(text).toContain("llmr_cluster_state_up 1");
    expect(reads).toBe(1);
  });

  it("says 0 and shows no stale series when Redis does not answer in time", async () => {
    const registry = new Registry();
    let answer: () => Promise<ClusterState> = async () => state;
    registerClusterGauges(registry, () => answer(), { timeoutMs: 50 });
    await registry.metrics();
    answer = () => new Promise(() => undefined);
    const text = await registry.metrics();
    expect(text).toContain("llmr_cluster_state_up 0");
    expect(text).not.toContain("llmr_queue_jobs{");
    answer = async () => {
      throw new Error("Connection is closed.");
    };
    expect(await registry.metrics()).toContain("llmr_cluster_state_up 0");
  });
});
