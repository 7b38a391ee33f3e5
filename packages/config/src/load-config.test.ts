import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { ConfigError } from "./config-error.ts";
import { DEFAULT_CONFIG_PATH, loadConfig, parseConfig } from "./load-config.ts";

const defaultYaml = readFileSync(DEFAULT_CONFIG_PATH, "utf8");
const noKeys = { env: {} };

function issuesOf(fn: () => unknown): string[] {
  try {
    fn();
  } catch (error) {
    if (error instanceof ConfigError) return error.issues.map((issue) => `${issue.path}: ${issue.message}`);
    throw error;
  }
  throw new Error("expected a ConfigError");
}

describe("loadConfig", () => {
  it("loads the default config with every vendor simulated when no keys are set", () => {
    const config = loadConfig(undefined, noKeys);
    expect(config.tiers.map((tier) => tier.name)).toEqual(["fast", "standard", "capable"]);
    const openai = config.providers.get("openai");
    expect(openai).toMatchObject({
      kind: "simulated",
      protocol: "openai",
      simulated: true,
      label: "simulated-openai",
    });
    expect(openai?.baseUrl).toBe("http://127.0.0.1:4010");
    expect(config.providers.get("anthropic")).toMatchObject({
      kind: "simulated",
      protocol: "anthropic",
      baseUrl: "http://127.0.0.1:4010",
    });
    expect(config.tasks.get("chat")?.defaultTier).toBe("fast");
  });

  it("uses the real vendor when its key is set, and only that vendor", () => {
    const config = loadConfig(undefined, { env: { OPENAI_API_KEY: "sk-test" } });
    expect(config.providers.get("openai")).toMatchObject({
      kind: "openai",
      simulated: false,
      apiKey: "sk-test",
      baseUrl: "https://api.openai.com/v1",
      label: "openai",
    });
    expect(config.providers.get("anthropic")?.simulated).toBe(true);
  });

  it("names the path and the unknown model, with a suggestion", () => {
    const yaml = defaultYaml.replace("{ model: gpt-5.4-mini, rpm: 500", "{ model: gpt-5.4-mni, rpm: 500");
    expect(issuesOf(() => parseConfig(yaml, "x.yaml", noKeys))).toEqual([
      'tiers[1].deployments[0].model: unknown model "gpt-5.4-mni" (did you mean "gpt-5.4-mini"?)',
    ]);
  });

  it("reports every schema problem at once, by path", () => {
    const yaml = defaultYaml
      .replace(
        "price_per_mtok_usd: { input: 0.20, output: 1.25 }",
        "price_per_mtok_usd: { input: -1, output: 1.25 }",
      )
      .replace(
        "interactive: { soft_ms: 10000, hard_ms: 45000 }",
        "interactive: { soft_ms: 50000, hard_ms: 45000 }",
      )
      .replace("kind: anthropic", "kind: antropic");
    const issues = issuesOf(() => parseConfig(yaml, "x.yaml", noKeys));
    expect(issues).toContainEqual(
      expect.stringMatching(/^models\.gpt-5\.4-nano\.price_per_mtok_usd\.input: /),
    );
    expect(issues).toContainEqual(
      "tiers[0].time_limits.interactive.soft_ms: soft_ms must be smaller than hard_ms",
    );
    expect(issues).toContainEqual(expect.stringMatching(/^providers\.anthropic\.kind: /));
  });

  it("rejects unknown fields instead of ignoring a typo", () => {
    const yaml = defaultYaml.replace("max_attempts: 3", "max_atempts: 3");
    expect(issuesOf(() => parseConfig(yaml, "x.yaml", noKeys)).join("\n")).toMatch(/^jobs: .*max_atempts/);
  });

  it("checks cross references: task tiers, model providers, the default task", () => {
    const yaml = defaultYaml
      .replace("chat:\n    default_tier: fast", "chat:\n    default_tier: fastest")
      .replace(
        "provider: anthropic\n    model_id: claude-haiku-4-5",
        "provider: antrhopic\n    model_id: claude-haiku-4-5",
      );
    expect(issuesOf(() => parseConfig(yaml, "x.yaml", noKeys))).toEqual([
      'models.claude-haiku-4-5.provider: unknown provider "antrhopic" (did you mean "anthropic"?)',
      'tasks.chat.default_tier: unknown tier "fastest" (did you mean "fast"?)',
    ]);
  });

  it("refuses a vendor without its key unless it may be simulated, except where keys are not needed", () => {
    const yaml = defaultYaml.replace(
      // biome-ignore lint/suspicious/noTemplateCurlyInString: config placeholders, not a template
      "api_key_env: OPENAI_API_KEY\n    base_url: ${OPENAI_BASE_URL:-https://api.openai.com/v1}\n    simulate_without_key: true",
      "api_key_env: OPENAI_API_KEY",
    );
    expect(issuesOf(() => parseConfig(yaml, "x.yaml", noKeys))).toEqual([
      "providers.openai.api_key_env: environment variable OPENAI_API_KEY is not set",
    ]);
    expect(
      parseConfig(yaml, "x.yaml", { env: {}, requireProviderKeys: false }).providers.get("openai")?.kind,
    ).toBe("openai");
  });

  // biome-ignore lint/suspicious/noTemplateCurlyInString: config placeholders, not a template
  it("interpolates ${VAR:-default} and reports an unset variable without default by path", () => {
    const config = parseConfig(defaultYaml, "x.yaml", { env: { SIMULATOR_URL: "http://127.0.0.1:9999" } });
    expect(config.simulatorUrl).toBe("http://127.0.0.1:9999");
    // biome-ignore lint/suspicious/noTemplateCurlyInString: config placeholders, not a template
    const yaml = defaultYaml.replace("${SIMULATOR_URL:-http://127.0.0.1:4010}", "${SIM_HOST}");
    expect(issuesOf(() => parseConfig(yaml, "x.yaml", noKeys))).toEqual([
      "simulator.base_url: environment variable SIM_HOST is not set (and has no default)",
    ]);
  });

  it("points an openai-compatible provider at any server", () => {
    const yaml = defaultYaml.replace(
      "providers:\n",
      "providers:\n  local:\n    kind: openai-compatible\n    base_url: http://127.0.0.1:11434/v1\n",
    );
    expect(parseConfig(yaml, "x.yaml", noKeys).providers.get("local")).toMatchObject({
      kind: "openai-compatible",
      baseUrl: "http://127.0.0.1:11434/v1",
      apiKey: undefined,
    });
  });

  it("says clearly when the file is missing or is not YAML", () => {
    expect(issuesOf(() => loadConfig("/nonexistent/router.yaml"))).toEqual([": file not found"]);
    expect(issuesOf(() => parseConfig("tiers: [unclosed", "bad.yaml"))[0]).toMatch(/^: /);
  });
});

describe("routing rules and checks in the config", () => {
  it("compiles the default rules and resolves task checks and escalation", () => {
    const config = loadConfig(undefined, noKeys);
    expect(config.rules.map((rule) => rule.name)).toEqual(["long-input", "reasoning-request", "code"]);
    expect(config.rules[1]?.when.pattern?.test("Please ANALYZE this")).toBe(true);
    expect(config.tasks.get("summarize")?.checks).toContain("summary_length");
    expect(config.tasks.get("classify")).toMatchObject({
      selfReportedConfidence: true,
      escalation: { minConfidence: 0.7, onQualityFailure: "next", maxEscalations: 2 },
    });
  });

  it("names a bad regex, an unknown tier or provider in a rule, and an unknown check", () => {
    const yaml = defaultYaml
      .replace('when: { pattern: "```" }', 'when: { pattern: "(unclosed" }')
      .replace(
        "    when: { min_input_tokens: 8000 }\n      tier: standard",
        "    when: { min_input_tokens: 8000 }\n      tier: medium\n      providers: [azure]",
      )
      .replace("checks: [empty, truncated, json_schema]", "checks: [empty, truncated, json_schema, no_pii]");
    const issues = issuesOf(() => parseConfig(yaml, "x.yaml", noKeys));
    expect(issues).toContainEqual(
      expect.stringMatching(/^routing\.rules\[2\]\.when\.pattern: not a valid regular expression/),
    );
    expect(issues).toContainEqual('routing.rules[0].tier: unknown tier "medium"');
    expect(issues).toContainEqual('routing.rules[0].providers[0]: unknown provider "azure"');
    expect(issues).toContainEqual(
      expect.stringMatching(/^tasks\.classify\.checks\[3\]: unknown check "no_pii"/),
    );
  });

  it("resolves a custom check's module against the config file's folder", () => {
    const yaml = defaultYaml.replace(
      "checks: [empty, truncated, json_schema]",
      "checks: [empty, no_pii]\n    custom_checks: [{ name: no_pii, module: ./checks/no-pii.mjs }]",
    );
    const task = parseConfig(yaml, "/etc/llmr/router.yaml", noKeys).tasks.get("classify");
    expect(task?.customChecks).toEqual([{ name: "no_pii", module: "/etc/llmr/checks/no-pii.mjs" }]);
  });

  it("refuses a rule that does nothing", () => {
    const yaml = defaultYaml.replace(
      "    when: { min_input_tokens: 8000 }\n      tier: standard",
      "    when: { min_input_tokens: 8000 }",
    );
    expect(issuesOf(() => parseConfig(yaml, "x.yaml", noKeys))).toEqual([
      "routing.rules[0]: a rule must set tier, max_tier or providers",
    ]);
  });
});
