import type { RouterConfigInput } from "@llmr/config";
import { describe, expect, it } from "vitest";
import { makeConfig } from "../test/make-config.ts";
import { chooseRoute } from "./choose-route.ts";
import { eligibleDeployments } from "./eligible-deployments.ts";
import type { RouteDecision, RouteFacts, RouteRefusal } from "./route-types.ts";

type Rule = NonNullable<NonNullable<RouterConfigInput["routing"]>["rules"]>[number];

function facts(overrides: Partial<RouteFacts> = {}): RouteFacts {
  return {
    task: "chat",
    messages: [{ role: "user", content: "What is a dead-letter queue?" }],
    responseFormat: "text",
    maxOutputTokens: 1024,
    tenant: "acme",
    metadata: {},
    ...overrides,
  };
}

function routed(result: RouteDecision | RouteRefusal): RouteDecision {
  if (result.refused) throw new Error(`expected a route, got a refusal: ${result.message}`);
  return result;
}

function refused(result: RouteDecision | RouteRefusal): RouteRefusal {
  if (!result.refused) throw new Error(`expected a refusal, got ${result.initialTier}: ${result.reason}`);
  return result;
}

/** The default config with these rules after its own three (long-input, reasoning-request, code). */
function withRules(...rules: Rule[]) {
  return makeConfig((doc) => {
    doc.routing = { rules: [...(doc.routing?.rules ?? []), ...rules] };
  });
}

const user = (content: string) => [{ role: "user" as const, content }];

describe("chooseRoute: rules", () => {
  const config = makeConfig();

  it("starts a job no rule matches at its task's default tier", () => {
    const decision = routed(chooseRoute(facts(), config));
    expect(decision).toMatchObject({
      initialTier: "fast",
      maxTier: "capable",
      rule: undefined,
      matchedRules: [],
    });
    expect(decision.reason).toBe('task "chat" starts at its default tier "fast"');
  });

  it("routes up, not down, without a match: a task defaulting to standard starts there", () => {
    const decision = routed(chooseRoute(facts({ task: "extract" }), config));
    expect(decision.initialTier).toBe("standard");
    expect(decision.reason).toBe('task "extract" starts at its default tier "standard"');
  });

  it("min_input_tokens: a long input goes to the rule's tier, the count written with separators", () => {
    const decision = routed(chooseRoute(facts({ messages: user("queue ".repeat(12_000).trim()) }), config));
    expect(decision.initialTier).toBe("standard");
    expect(decision.inputTokens).toBe(12_000 + 7);
    expect(decision.reason).toBe('rule "long-input": input 12,007 tokens > 8,000 → standard');
  });

  it("max_input_tokens: only inputs at most that long match", () => {
    const rules = withRules({
      name: "tiny-extract",
      when: { task: ["extract"], max_input_tokens: 100 },
      tier: "fast",
    });
    const short = routed(
      chooseRoute(facts({ task: "extract", messages: user("Invoice 42 from ACME") }), rules),
    );
    expect(short.initialTier).toBe("fast");
    expect(short.reason).toBe(
      `rule "tiny-extract": task "extract", input ${short.inputTokens} tokens ≤ 100 → fast`,
    );
    const long = routed(chooseRoute(facts({ task: "extract", messages: user("line ".repeat(200)) }), rules));
    expect(long.initialTier).toBe("standard");
  });

  it("pattern: a keyword in a user or system message picks the rule's tier, not one in an assistant turn", () => {
    const decision = routed(
      chooseRoute(facts({ messages: user("Compare Redis streams and Kafka.") }), config),
    );
    expect(decision.initialTier).toBe("standard");
    expect(decision.rule).toBe("reasoning-request");
    expect(decision.reason).toMatch(
      /^rule "reasoning-request": input matches \/\\b\(prove\|proof\|derive.*…\/ → standard$/,
    );

    const system = [{ role: "system" as const, content: "Think step by step." }, ...user("2 + 2?")];
    expect(routed(chooseRoute(facts({ messages: system }), config)).initialTier).toBe("standard");

    const assistant = [
      ...user("Hi"),
      { role: "assistant" as const, content: "Shall I compare them?" },
      ...user("Yes, briefly."),
    ];
    expect(routed(chooseRoute(facts({ messages: assistant }), config)).initialTier).toBe("fast");
  });

  it("pattern: code fences pick the code rule", () => {
    const decision = routed(
      chooseRoute(facts({ messages: user("Why does this fail?\n```js\nfoo()\n```") }), config),
    );
    expect(decision.reason).toBe('rule "code": input matches /```/ → standard');
  });

  it("response_format: a rule can send JSON jobs elsewhere", () => {
    const rules = withRules({ name: "schemas", when: { response_format: ["json_schema"] }, tier: "capable" });
    const json = routed(chooseRoute(facts({ responseFormat: "json_schema" }), rules));
    expect(json.reason).toBe('rule "schemas": response_format json_schema → capable');
    expect(routed(chooseRoute(facts({ responseFormat: "text" }), rules)).initialTier).toBe("fast");
  });

  it("tenant: a rule matches the API key's name", () => {
    const rules = withRules({ name: "premium", when: { tenant: ["bigco"] }, tier: "standard" });
    expect(routed(chooseRoute(facts({ tenant: "bigco" }), rules)).reason).toBe(
      'rule "premium": tenant "bigco" → standard',
    );
    expect(routed(chooseRoute(facts({ tenant: "acme" }), rules)).initialTier).toBe("fast");
  });

  it("metadata: a compliance tag restricts providers without changing the tier", () => {
    const rules = withRules({
      name: "eu-data",
      when: { metadata: { compliance: "eu" } },
      providers: ["anthropic"],
    });
    const decision = routed(chooseRoute(facts({ metadata: { compliance: "eu", team: "x" } }), rules));
    expect(decision).toMatchObject({
      initialTier: "fast",
      allowedProviders: ["anthropic"],
      matchedRules: ["eu-data"],
    });
    expect(decision.reason).toBe(
      'task "chat" starts at its default tier "fast"; providers limited to anthropic by rule "eu-data"',
    );
    const fast = rules.tiers[0];
    if (!fast) throw new Error("no fast tier");
    expect(eligibleDeployments(fast, decision.requirements).map((d) => d.model.name)).toEqual([
      "claude-haiku-4-5",
    ]);
    expect(
      routed(chooseRoute(facts({ metadata: { compliance: "us" } }), rules)).allowedProviders,
    ).toBeUndefined();
  });

  it("the first matching rule with a tier wins; every matching rule's max_tier applies (lowest wins)", () => {
    const rules = withRules(
      { name: "free-plan", when: { tenant: ["free"] }, max_tier: "standard" },
      { name: "free-plan-cheap", when: { tenant: ["free"] }, max_tier: "fast" },
    );
    const decision = routed(chooseRoute(facts({ tenant: "free", messages: user("Prove it.") }), rules));
    expect(decision).toMatchObject({ initialTier: "fast", maxTier: "fast", rule: "reasoning-request" });
    expect(decision.matchedRules).toEqual(["reasoning-request", "free-plan", "free-plan-cheap"]);
    expect(decision.reason).toBe(
      'rule "reasoning-request": input matches /\\b(prove|proof|derive|analy[sz]e|compare|trade-?offs?|step[-…/ → standard; capped by max_tier "fast" (rule "free-plan-cheap")',
    );
  });
});

describe("chooseRoute: the request's tier and max_tier", () => {
  const config = makeConfig();

  it("a pinned tier overrides the rules' tier", () => {
    const decision = routed(
      chooseRoute(facts({ pinnedTier: "capable", messages: user("Prove it.") }), config),
    );
    expect(decision).toMatchObject({ initialTier: "capable", rule: undefined });
    expect(decision.reason).toBe('tier "capable" pinned by the request');
  });

  it("a pinned tier above the max tier is refused, naming the tier parameter", () => {
    const refusal = refused(
      chooseRoute(facts({ pinnedTier: "capable", requestedMaxTier: "standard" }), config),
    );
    expect(refusal).toEqual({
      refused: true,
      param: "tier",
      message: 'tier "capable" is above the job\'s max_tier "standard" (the request)',
    });
  });

  it("the request's max_tier caps the rule's tier and bounds escalation", () => {
    const decision = routed(
      chooseRoute(facts({ requestedMaxTier: "fast", messages: user("Prove it.") }), config),
    );
    expect(decision).toMatchObject({ initialTier: "fast", maxTier: "fast" });
    expect(decision.reason).toMatch(/→ standard; capped by max_tier "fast" \(the request\)$/);
  });

  it("the request's max_tier combines with the rules' (lowest wins)", () => {
    const rules = withRules({ name: "std-cap", when: {}, max_tier: "standard" });
    expect(routed(chooseRoute(facts({ requestedMaxTier: "capable" }), rules)).maxTier).toBe("standard");
    const decision = routed(chooseRoute(facts({ requestedMaxTier: "fast" }), rules));
    expect(decision.maxTier).toBe("fast");
    expect(decision.reason).toBe(
      'task "chat" starts at its default tier "fast"; max_tier "fast" (the request)',
    );
  });
});

describe("chooseRoute: capabilities", () => {
  const noJsonInFast = (doc: RouterConfigInput) => {
    for (const name of ["gpt-5.4-nano", "claude-haiku-4-5"]) {
      const model = doc.models[name];
      if (model) model.capabilities = { json_mode: false, logprobs: false };
    }
  };

  it("moves a JSON job up to the first tier that offers JSON mode, and says so", () => {
    const config = makeConfig(noJsonInFast);
    const decision = routed(chooseRoute(facts({ responseFormat: "json_object" }), config));
    expect(decision.initialTier).toBe("standard");
    expect(decision.requirements).toMatchObject({ jsonMode: true });
    expect(decision.reason).toBe(
      'task "chat" starts at its default tier "fast"; no deployment of "fast" offers JSON mode → "standard"',
    );
    expect(routed(chooseRoute(facts({ responseFormat: "text" }), config)).initialTier).toBe("fast");
  });

  it("refuses a JSON job when no tier up to its max tier offers JSON mode", () => {
    const config = makeConfig(noJsonInFast);
    const refusal = refused(
      chooseRoute(facts({ responseFormat: "json_schema", requestedMaxTier: "fast" }), config),
    );
    expect(refusal.param).toBe("response_format");
    expect(refusal.message).toBe(
      'no deployment of tier "fast" (the job\'s max_tier "fast" (the request)) offers JSON mode',
    );
  });

  it("moves a job whose input plus output budget exceeds a tier's context windows", () => {
    const config = makeConfig((doc) => {
      for (const name of ["gpt-5.4-nano", "claude-haiku-4-5"]) {
        const model = doc.models[name];
        if (model) model.context_window = 4_000;
      }
    });
    const decision = routed(
      chooseRoute(facts({ messages: user("word ".repeat(3_000).trim()), maxOutputTokens: 2_000 }), config),
    );
    expect(decision.initialTier).toBe("standard");
    expect(decision.requirements.contextTokens).toBe(5_007);
    expect(decision.reason).toBe(
      'task "chat" starts at its default tier "fast"; no deployment of "fast" has a context window of 5,007 tokens (input + max output) → "standard"',
    );
  });

  it("refuses an input too long for every model, naming messages", () => {
    const refusal = refused(
      chooseRoute(facts({ messages: user("x"), inputTokens: 2_000_000 }), makeConfig()),
    );
    expect(refusal.param).toBe("messages");
    expect(refusal.message).toBe(
      'no deployment of tier "standard" up to "capable" has a context window of 2,001,024 tokens (input + max output)',
    );
  });

  it("refuses a job whose provider restrictions leave no deployment, naming metadata", () => {
    const rules = withRules(
      { name: "eu-data", when: { metadata: { compliance: "eu" } }, providers: ["anthropic"] },
      { name: "openai-only", when: { tenant: ["acme"] }, providers: ["openai"] },
    );
    const refusal = refused(chooseRoute(facts({ metadata: { compliance: "eu" } }), rules));
    expect(refusal.param).toBe("metadata");
    expect(refusal.message).toBe(
      'no deployment of tier "fast" up to "capable" is served by an allowed provider (the matching rules\' provider lists have none in common)',
    );
  });
});
