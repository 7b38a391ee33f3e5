import type { RuleCondition } from "@llmr/config";
import { formatCount } from "./format-count.ts";
import type { RouteFacts } from "./route-types.ts";

/** Longest pattern quoted in a reason; longer ones are cut with `…` so reasons stay one line. */
const maxQuotedPatternChars = 60;

/**
 * True when every condition the rule sets holds. The cheap comparisons run first and the regular
 * expression last, so most rules are rejected without touching the text. Allocation-free.
 */
export function ruleMatches(when: RuleCondition, facts: RouteFacts, inputTokens: number): boolean {
  if (when.task !== undefined && !when.task.includes(facts.task)) return false;
  if (when.minInputTokens !== undefined && !(inputTokens > when.minInputTokens)) return false;
  if (when.maxInputTokens !== undefined && !(inputTokens <= when.maxInputTokens)) return false;
  if (when.responseFormat !== undefined && !when.responseFormat.includes(facts.responseFormat)) return false;
  if (when.tenant !== undefined && !when.tenant.includes(facts.tenant)) return false;
  if (when.metadata !== undefined) {
    for (const key in when.metadata) {
      if (!Object.hasOwn(facts.metadata, key) || facts.metadata[key] !== when.metadata[key]) return false;
    }
  }
  if (when.pattern !== undefined && !inputMatches(when.pattern, facts)) return false;
  return true;
}

/**
 * The pattern is tried on each system and user message in turn (assistant turns are the model's
 * words, not the request's), so no joined copy of the input is built; a match never spans two messages.
 */
function inputMatches(pattern: RegExp, facts: RouteFacts): boolean {
  // A `g` or `y` flag would make `test` resume from `lastIndex`: start every message from 0.
  pattern.lastIndex = 0;
  for (const message of facts.messages) {
    if (message.role !== "assistant" && pattern.test(message.content)) return true;
  }
  return false;
}

/**
 * The facts that made a rule match, in words: `input 12,480 tokens > 8,000`,
 * `input matches /\b(prove|proof)\b/`, `tenant "acme"`. Only built for the rules a reason names.
 */
export function describeMatch(when: RuleCondition, facts: RouteFacts, inputTokens: number): string {
  const parts: string[] = [];
  if (when.task !== undefined) parts.push(`task "${facts.task}"`);
  const tokens = `input ${formatCount(inputTokens)} tokens`;
  if (when.minInputTokens !== undefined && when.maxInputTokens !== undefined) {
    parts.push(`${tokens} > ${formatCount(when.minInputTokens)} and ≤ ${formatCount(when.maxInputTokens)}`);
  } else if (when.minInputTokens !== undefined) {
    parts.push(`${tokens} > ${formatCount(when.minInputTokens)}`);
  } else if (when.maxInputTokens !== undefined) {
    parts.push(`${tokens} ≤ ${formatCount(when.maxInputTokens)}`);
  }
  if (when.patternSource !== undefined) parts.push(`input matches /${quotePattern(when.patternSource)}/`);
  if (when.responseFormat !== undefined) parts.push(`response_format ${facts.responseFormat}`);
  if (when.tenant !== undefined) parts.push(`tenant "${facts.tenant}"`);
  if (when.metadata !== undefined) {
    const pairs = Object.entries(when.metadata).map(([key, value]) => `${key}=${value}`);
    parts.push(`metadata ${pairs.join(", ")}`);
  }
  return parts.length === 0 ? "always" : parts.join(", ");
}

function quotePattern(source: string): string {
  const chars = Array.from(source);
  return chars.length <= maxQuotedPatternChars
    ? source
    : `${chars.slice(0, maxQuotedPatternChars).join("")}…`;
}
