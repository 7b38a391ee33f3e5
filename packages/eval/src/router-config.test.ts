import { validateConfig } from "@llmr/config";
import { describe, expect, it } from "vitest";
import { parseEvalConfig, withTiers } from "./eval-config.ts";
import { EvaluationError } from "./evaluation-error.ts";
import { routerConfigDocument } from "./router-config.ts";

const evalConfig = parseEvalConfig(
  {
    models: {
      small: { price_per_mtok_usd: { input: 0.6, output: 0.6 } },
      medium: { price_per_mtok_usd: { input: 2, output: 6 } },
      large: { price_per_mtok_usd: { input: 10, output: 30 } },
    },
    tiers: [
      { name: "fast", model: "small" },
      { name: "capable", model: "large" },
    ],
    task: { max_output_tokens: 1024, escalation: { min_confidence: 0.4, max_escalations: 1 } },
    tasks: { math: { max_output_tokens: 512 } },
  },
  "inline",
);

const input = {
  evalConfig,
  tasks: ["math", "chat"],
  simulatorUrl: "http://127.0.0.1:4999",
  keyPrefix: "eval-test",
  workerConcurrency: 16,
};

describe("routerConfigDocument", () => {
  it("is a valid router config: one simulated provider, a model per tier at its price, tasks starting cheap", () => {
    const config = validateConfig(routerConfigDocument(input), "generated", { requireProviderKeys: false });
    expect(config.tiers.map((tier) => [tier.name, tier.deployments.map((d) => d.model.modelId)])).toEqual([
      ["fast", ["small"]],
      ["capable", ["large"]],
    ]);
    expect(config.tiers[1]?.deployments[0]?.model.pricePerMTokUsd).toEqual({ input: 10, output: 30 });
    expect(config.redis.keyPrefix).toBe("eval-test");
    expect(config.rules).toEqual([]);
  });

  it("merges per-task settings over the shared ones and overrides the threshold for the sweep", () => {
    const plain = routerConfigDocument(input) as { tasks: Record<string, Record<string, unknown>> };
    expect(plain.tasks.math).toMatchObject({ default_tier: "fast", max_output_tokens: 512 });
    expect(plain.tasks.chat).toMatchObject({ max_output_tokens: 1024, escalation: { min_confidence: 0.4 } });
    const swept = routerConfigDocument({ ...input, minConfidence: 0.8 }) as typeof plain;
    expect(swept.tasks.math?.escalation).toEqual({ min_confidence: 0.8, max_escalations: 1 });
  });

  it("takes other tier models from --models, named by their count, and refuses an unpriced one", () => {
    const three = withTiers(evalConfig, ["small", "medium", "large"]);
    expect(three.tiers.map((tier) => `${tier.name}=${tier.model}`)).toEqual([
      "fast=small",
      "standard=medium",
      "capable=large",
    ]);
    const doc = routerConfigDocument({ ...input, evalConfig: three });
    expect(() => validateConfig(doc, "generated", { requireProviderKeys: false })).not.toThrow();
    expect(() => withTiers(evalConfig, ["small", "unknown"])).toThrow(EvaluationError);
    expect(() => withTiers(evalConfig, ["small", "small"])).toThrow(/two tiers/);
  });

  it("names the path of a bad eval config", () => {
    expect(() => parseEvalConfig({ models: {}, tiers: [{ name: "fast" }] }, "x.yaml")).toThrow(
      /x\.yaml:\n {2}tiers\.0\.model/,
    );
  });
});
