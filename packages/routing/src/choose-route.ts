import type { ResolvedRule, ResolvedTier, RouterConfig } from "@llmr/config";
import { countMessageTokens } from "./count-tokens.ts";
import { eligibleDeployments, unmetRequirements } from "./eligible-deployments.ts";
import { describeMatch, ruleMatches } from "./match-rule.ts";
import type { RouteDecision, RouteFacts, RouteRefusal, RouteRequirements } from "./route-types.ts";

/**
 * Chooses the tier a job starts at, how far it may escalate and where it may run, with the reason
 * in plain words. Pure and I/O-free: apart from counting the input's tokens it takes microseconds.
 *
 * - Rules are evaluated in order. A rule matches when every condition it sets holds. The first
 *   matching rule that sets `tier` picks the starting tier; `max_tier` and `providers` of every
 *   matching rule apply (the lowest max tier wins; provider lists intersect).
 * - No rule sets a tier → the task's default tier (route up, not down: never the cheapest by default).
 * - The request's `tier` overrides the rules' tier, not the restrictions: above the max tier it is
 *   refused (`param: "tier"`). The request's `max_tier` combines with the rules' (lowest wins).
 *   The starting tier is capped at the max tier.
 * - Only deployments that meet the job's needs count (JSON mode for JSON formats, a context window
 *   holding input + max output, an allowed provider). A starting tier without one moves up to the
 *   first tier (≤ max tier) that has one; none → refusal naming the request field at fault.
 *
 * @example
 * const route = chooseRoute({ task: "chat", messages, responseFormat: "text", maxOutputTokens: 1024,
 *   tenant: "acme", metadata: {} }, config);
 * if (route.refused) throw new RequestValidationError([{ param: route.param, message: route.message }]);
 * // route.reason: 'rule "long-input": input 12,480 tokens > 8,000 → standard'
 */
export function chooseRoute(facts: RouteFacts, config: RouterConfig): RouteDecision | RouteRefusal {
  const inputTokens = facts.inputTokens ?? countMessageTokens(facts.messages);
  const tiers = config.tiers;
  const topTier = tiers[tiers.length - 1];
  if (topTier === undefined) return refuse("tier", "the router config has no tiers");

  let startRule: ResolvedRule | undefined;
  let maxRank = topTier.rank;
  let maxTierSource: string | undefined;
  let providers: string[] | undefined;
  const providersSource: string[] = [];
  const matchedRules: string[] = [];
  for (const rule of config.rules) {
    if (!ruleMatches(rule.when, facts, inputTokens)) continue;
    matchedRules.push(rule.name);
    if (rule.tier !== undefined) startRule ??= rule;
    if (rule.maxTier !== undefined) {
      const rank = rankOf(tiers, rule.maxTier);
      if (rank < maxRank) {
        maxRank = rank;
        maxTierSource = `rule "${rule.name}"`;
      }
    }
    if (rule.providers !== undefined) {
      const allowed = rule.providers;
      providers = providers === undefined ? [...allowed] : providers.filter((id) => allowed.includes(id));
      providersSource.push(`"${rule.name}"`);
    }
  }
  if (facts.requestedMaxTier !== undefined) {
    const rank = rankOf(tiers, facts.requestedMaxTier);
    if (rank < maxRank) {
      maxRank = rank;
      maxTierSource = "the request";
    }
  }
  const maxTier = tiers[maxRank] ?? topTier;
  const maxWords = `max_tier "${maxTier.name}"${maxTierSource ? ` (${maxTierSource})` : ""}`;

  let startRank: number;
  let reason: string;
  if (facts.pinnedTier !== undefined) {
    startRank = rankOf(tiers, facts.pinnedTier);
    if (startRank > maxRank) {
      return refuse("tier", `tier "${facts.pinnedTier}" is above the job's ${maxWords}`);
    }
    reason = `tier "${facts.pinnedTier}" pinned by the request`;
  } else if (startRule?.tier !== undefined) {
    startRank = rankOf(tiers, startRule.tier);
    reason = `rule "${startRule.name}": ${describeMatch(startRule.when, facts, inputTokens)} → ${startRule.tier}`;
  } else {
    const defaultTier = config.tasks.get(facts.task)?.defaultTier ?? tiers[0]?.name ?? topTier.name;
    startRank = rankOf(tiers, defaultTier);
    reason = `task "${facts.task}" starts at its default tier "${defaultTier}"`;
  }
  if (startRank > maxRank) {
    startRank = maxRank;
    reason += `; capped by ${maxWords}`;
  } else if (maxTierSource !== undefined) {
    reason += `; ${maxWords}`;
  }
  if (providers !== undefined) {
    const list = providers.length > 0 ? providers.join(", ") : "none";
    reason += `; providers limited to ${list} by rule ${providersSource.join(", ")}`;
  }

  const requirements: RouteRequirements = {
    jsonMode: facts.responseFormat !== "text",
    logprobs: facts.requireLogprobs ?? false,
    contextTokens: inputTokens + facts.maxOutputTokens,
    providers,
  };
  const startTier = tiers[startRank] ?? topTier;
  let initialTier: ResolvedTier | undefined = startTier;
  if (eligibleDeployments(startTier, requirements).length === 0) {
    initialTier = tiers.find(
      (tier) =>
        tier.rank > startRank && tier.rank <= maxRank && eligibleDeployments(tier, requirements).length > 0,
    );
    const why = unmetRequirements(startTier.deployments, requirements);
    const whyWords = `no deployment of "${startTier.name}" ${why.map((unmet) => unmet.words).join(" and ")}`;
    if (initialTier === undefined) {
      const reachable = tiers.slice(startRank, maxRank + 1).flatMap((tier) => tier.deployments);
      const unmet = unmetRequirements(reachable, requirements);
      const span =
        startRank === maxRank ? `"${startTier.name}"` : `"${startTier.name}" up to "${maxTier.name}"`;
      const above = maxRank < topTier.rank ? ` (the job's ${maxWords})` : "";
      return refuse(
        unmet[0]?.param ?? "messages",
        `no deployment of tier ${span}${above} ${unmet.map((u) => u.words).join(" and ")}`,
      );
    }
    reason += `; ${whyWords} → "${initialTier.name}"`;
  }

  return {
    refused: false,
    initialTier: initialTier.name,
    maxTier: maxTier.name,
    allowedProviders: providers,
    inputTokens,
    rule: facts.pinnedTier === undefined ? startRule?.name : undefined,
    matchedRules,
    reason,
    requirements,
  };
}

/** Tier names are validated by the config and the caller; an unknown one ranks as the top tier. */
function rankOf(tiers: readonly ResolvedTier[], name: string): number {
  for (const tier of tiers) if (tier.name === name) return tier.rank;
  return tiers.length - 1;
}

function refuse(param: string, message: string): RouteRefusal {
  return { refused: true, param, message };
}
