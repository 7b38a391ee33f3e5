import { describe, expect, it } from "vitest";
import type { ExplainStep, JobExplanation } from "../src/explain/explanation-schema.ts";
import {
  at,
  attempt,
  CHAT,
  chatChecks,
  EXTRACT,
  event,
  explain,
  extractChecks,
  failedCall,
  jobRecord,
  resultOf,
} from "./explain-fixtures.ts";

const kinds = (explanation: JobExplanation) => explanation.steps.map((step) => step.kind);
const step = <K extends ExplainStep["kind"]>(explanation: JobExplanation, kind: K, nth = 0) =>
  explanation.steps.filter((s): s is Extract<ExplainStep, { kind: K }> => s.kind === kind)[nth];

describe("explainJob", () => {
  it("tells a plain success: the task's default tier, checks, confidence over the threshold, cost", () => {
    const a1 = attempt(1, "fast/gpt-5.4-nano", 60, 114, {
      outcome: "succeeded",
      detail: "answered in 54 ms; confidence 0.90 (heuristic)",
      usage: { input_tokens: 13, output_tokens: 6 },
      cost_usd: 0.0000101,
      confidence: 0.9,
      confidence_signal: "heuristic",
      confidence_detail: "a plain answer: no hedging, nothing unusual",
      checks: chatChecks(),
    });
    const explanation = explain({
      record: jobRecord({ attempts: [a1], result: resultOf(a1) }),
      events: [event(59, "status", { status: "running", tier: "fast", deployment: "fast/gpt-5.4-nano" })],
      task: CHAT,
    });
    expect(kinds(explanation)).toEqual(["routed", "attempt", "checks", "confidence", "finished"]);
    expect(explanation.summary).toBe(
      'Succeeded on tier "fast" (simulated-openai gpt-5.4-nano) at the first attempt; confidence 0.90 (text heuristics); total $0.0000101.',
    );
    expect(step(explanation, "routed")).toMatchObject({
      rule: null,
      initial_tier: "fast",
      max_tier: "capable",
    });
    expect(step(explanation, "routed")?.text).toBe(
      'starts on tier "fast" (task "chat" starts at its default tier "fast"); may escalate up to "capable"',
    );
    expect(step(explanation, "attempt")?.text).toBe(
      'attempt 1 on tier "fast": simulated-openai gpt-5.4-nano (deployment fast/gpt-5.4-nano) → succeeded after 54 ms, 13 input + 6 output tokens, $0.0000101',
    );
    expect(step(explanation, "checks")?.text).toBe(
      "quality checks passed: empty, truncated, refusal, json_schema, language",
    );
    expect(step(explanation, "confidence")).toMatchObject({ decision: "accepted", min_confidence: 0.5 });
    expect(step(explanation, "confidence")?.text).toBe(
      'confidence 0.90 (text heuristics) ≥ min_confidence 0.5 for task "chat" → accepted; what drove it: a plain answer: no hedging, nothing unusual',
    );
    expect(explanation.cost).toEqual({
      total_usd: 0.0000101,
      by_attempt: [
        {
          n: 1,
          tier: "fast",
          provider: "simulated-openai",
          model: "gpt-5.4-nano",
          deployment: "fast/gpt-5.4-nano",
          outcome: "succeeded",
          input_tokens: 13,
          output_tokens: 6,
          latency_ms: 54,
          cost_usd: 0.0000101,
        },
      ],
    });
  });

  it("tells an escalation on low self-reported confidence, with the threshold the judge applied", () => {
    const judged = { confidence: 0.42, confidence_signal: "self_reported", checks: extractChecks() };
    const a1 = attempt(1, "fast/gpt-5.4-nano", 486, 494, {
      ...judged,
      outcome: "low_confidence",
      detail: "answered in 8 ms; confidence 0.42 (self_reported) < 0.6 → standard",
      confidence_detail: "the answer reports confidence 0.42",
      usage: { input_tokens: 17, output_tokens: 28 },
      cost_usd: 0.0000384,
    });
    const a2 = attempt(2, "standard/gpt-5.4-mini", 727, 732, {
      ...judged,
      confidence: 0.93,
      outcome: "succeeded",
      detail: "answered in 5 ms; confidence 0.93 (self_reported)",
      usage: { input_tokens: 17, output_tokens: 28 },
      cost_usd: 0.00013875,
    });
    const reason = "confidence 0.42 (self_reported) < 0.6 → standard";
    const record = jobRecord({
      task: "extract",
      tier: "standard",
      routing: {
        initial_tier: "fast",
        max_tier: "capable",
        reason: 'rule "cheap-extract": task is extract → fast',
        escalations: [{ from_tier: "fast", to_tier: "standard", reason, at: a1.finished_at }],
      },
      attempts: [a1, a2],
      result: resultOf(a2),
    });
    record.route.rule = "cheap-extract";
    record.route.matched_rules = ["cheap-extract", "eu-only"];
    // The config says 0.7 now; the attempt was judged against 0.6 and says so.
    const explanation = explain({ record, task: EXTRACT });
    expect(kinds(explanation)).toEqual([
      "routed",
      "attempt",
      "checks",
      "confidence",
      "escalated",
      "attempt",
      "checks",
      "confidence",
      "finished",
    ]);
    expect(step(explanation, "routed")?.text).toBe(
      'starts on tier "fast" (rule "cheap-extract": task is extract → fast); may escalate up to "capable"; other rules matched: "eu-only"',
    );
    expect(step(explanation, "confidence")).toMatchObject({
      value: 0.42,
      signal: "self_reported",
      min_confidence: 0.6,
      decision: "escalate",
    });
    expect(step(explanation, "confidence")?.text).toBe(
      'confidence 0.42 (self-reported) < min_confidence 0.6 for task "extract" → escalate fast → standard; what drove it: the answer reports confidence 0.42',
    );
    expect(step(explanation, "escalated")).toMatchObject({ cause: "low_confidence", attempt: 1, reason });
    expect(step(explanation, "escalated")?.text).toBe(
      `escalated "fast" → "standard" (cause: low confidence; escalation 1 of max_escalations 2): ${reason}`,
    );
    // No confidence_detail on attempt 2 (recorded before the field existed): no "what drove it".
    expect(step(explanation, "confidence", 1)?.text).toBe(
      'confidence 0.93 (self-reported) ≥ min_confidence 0.7 for task "extract" → accepted',
    );
    expect(explanation.summary).toBe(
      'Succeeded on tier "standard" (simulated-openai gpt-5.4-mini) after 2 attempts and 1 escalation (low confidence); confidence 0.93 (self-reported); total $0.00017715.',
    );
  });

  it("tells a failed json_schema check sending the job straight to the capable tier", () => {
    const why =
      "the answer is not valid JSON: Expected ',' or '}' after property value in JSON at position 40";
    const a1 = attempt(1, "fast/gpt-5.4-nano", 257, 343, {
      outcome: "quality_failed",
      detail: `answered in 86 ms; failed json_schema (${why}) → capable`,
      usage: { input_tokens: 17, output_tokens: 18 },
      cost_usd: 0.0000259,
      confidence: 0.69,
      confidence_signal: "heuristic",
      confidence_detail: "no usable self-reported confidence (the answer is not a JSON object)",
      checks: extractChecks().map((check) =>
        check.name === "json_schema" ? { ...check, passed: false, reason: why } : check,
      ),
    });
    const a2 = attempt(2, "capable/gpt-5.4", 359, 364, {
      outcome: "succeeded",
      detail: "answered in 5 ms; confidence 0.99 (self_reported)",
      usage: { input_tokens: 17, output_tokens: 28 },
      cost_usd: 0.0004625,
      confidence: 0.99,
      confidence_signal: "self_reported",
      checks: extractChecks(),
    });
    const reason = `failed json_schema (${why}) → capable`;
    const explanation = explain({
      record: jobRecord({
        task: "extract",
        tier: "capable",
        routing: {
          initial_tier: "fast",
          max_tier: "capable",
          reason: 'tier "fast" pinned by the request',
          escalations: [{ from_tier: "fast", to_tier: "capable", reason, at: a1.finished_at }],
        },
        attempts: [a1, a2],
        result: resultOf(a2),
      }),
      task: EXTRACT,
    });
    expect(step(explanation, "checks")).toMatchObject({ failed: ["json_schema"] });
    expect(step(explanation, "checks")?.text).toBe(
      `check json_schema failed (${why}); passed: empty, truncated, refusal → on_quality_failure "top": escalate fast → capable`,
    );
    expect(step(explanation, "confidence")).toMatchObject({ decision: "not_compared" });
    expect(step(explanation, "confidence")?.text).toMatch(
      /^confidence 0\.69 \(text heuristics\) not compared with min_confidence 0\.7 for task "extract": a failed check decides first/,
    );
    expect(step(explanation, "escalated")).toMatchObject({ cause: "quality_failed", to_tier: "capable" });
    expect(explanation.summary).toContain("after 2 attempts and 1 escalation (quality check failed)");
    expect(explanation.cost.total_usd).toBe(0.0004884);
  });

  it("tells a fallback: a deployment skipped by its open breaker, a 503, the next tier", () => {
    const a1 = failedCall(1, "fast/claude-haiku-4-5", 20, 51, "error", 'anthropic: 503 {"type":"error"}');
    const a2 = attempt(2, "standard/gpt-5.4-mini", 69, 84, {
      outcome: "succeeded",
      detail: "answered in 15 ms; confidence 0.90 (heuristic)",
      usage: { input_tokens: 12, output_tokens: 57 },
      cost_usd: 0.0002655,
      confidence: 0.9,
      confidence_signal: "heuristic",
      checks: chatChecks(),
    });
    const reason = 'all 1 tries on "fast" failed (last: error) → standard';
    const explanation = explain({
      record: jobRecord({
        tier: "standard",
        routing: {
          initial_tier: "fast",
          max_tier: "capable",
          reason: 'task "chat" starts at its default tier "fast"',
          escalations: [{ from_tier: "fast", to_tier: "standard", reason, at: a1.finished_at }],
        },
        attempts: [a1, a2],
        result: resultOf(a2),
      }),
      events: [
        event(19, "status", {
          status: "running",
          tier: "fast",
          deployment: "fast/claude-haiku-4-5",
          skipped: [{ deployment: "fast/gpt-5.4-nano", reason: "circuit_open" }],
        }),
        event(58, "attempt", a1),
        event(60, "escalated", { from_tier: "fast", to_tier: "standard", reason }),
        event(61, "status", { status: "queued", tier: "standard" }),
        event(68, "status", { status: "running", tier: "standard", deployment: "standard/gpt-5.4-mini" }),
        event(108, "attempt", a2),
      ],
      task: CHAT,
    });
    expect(kinds(explanation).slice(0, 4)).toEqual(["routed", "deployment_skipped", "attempt", "escalated"]);
    expect(step(explanation, "deployment_skipped")).toMatchObject({
      at: at(19),
      attempt: 1,
      deployment: "fast/gpt-5.4-nano",
      reason: "circuit_open",
      text: "skipped deployment fast/gpt-5.4-nano without a call: its circuit breaker is open",
    });
    expect(step(explanation, "attempt")?.text).toBe(
      'attempt 1 on tier "fast": simulated-anthropic claude-haiku-4-5 (deployment fast/claude-haiku-4-5) → error after 31 ms, 0 input + 0 output tokens, $0 — anthropic: 503 {"type":"error"}',
    );
    expect(step(explanation, "escalated")).toMatchObject({ cause: "fallback" });
    expect(step(explanation, "escalated")?.text).toMatch(
      /^fell back "fast" → "standard" \(cause: fallback after every try on the tier failed; escalation 1 of max_escalations 2\)/,
    );
    expect(explanation.summary).toContain("1 escalation (fallback after every try on the tier failed)");
  });

  it("tells retries on the tier with their backoff, and infers them when the events expired", () => {
    const a1 = failedCall(1, "fast/gpt-5.4-nano", 0, 12, "error", "openai: 503 The server is overloaded");
    const a2 = failedCall(2, "fast/claude-haiku-4-5", 330, 399, "rate_limited", "anthropic: 429 slow down");
    const a3 = failedCall(3, "fast/gpt-5.4-nano", 900, 910, "error", "openai: 500 oops");
    const record = jobRecord({
      status: "failed",
      attempts: [a1, a2, a3],
      error: { type: "attempts_exhausted", message: "all 3 attempts failed; last: openai: 500 oops" },
    });
    const withEvents = explain({
      record,
      events: [event(13, "status", { status: "queued", tier: "fast", retry_in_ms: 315 })],
      task: CHAT,
    });
    // An event not paired with an attempt is ignored: the retry is told from the record alone.
    expect(step(withEvents, "retry")).toMatchObject({ attempt: 1, retry_in_ms: null, at: a1.finished_at });
    const paired = explain({
      record,
      events: [
        event(0, "status", { status: "running", tier: "fast", deployment: "fast/gpt-5.4-nano" }),
        event(12, "attempt", a1),
        event(13, "status", { status: "queued", tier: "fast", retry_in_ms: 315 }, 1),
      ],
      task: CHAT,
    });
    expect(step(paired, "retry")).toMatchObject({ attempt: 1, retry_in_ms: 315, at: at(13) });
    expect(step(paired, "retry")?.text).toBe(
      'error is retryable → next try on tier "fast" in 315 ms, starting at the tier\'s next deployment',
    );
    expect(step(paired, "retry", 1)).toMatchObject({ attempt: 2, retry_in_ms: null });
    expect(step(paired, "retry", 2)).toBeUndefined();
    expect(step(paired, "finished")?.text).toBe(
      "failed with attempts_exhausted: all 3 attempts failed; last: openai: 500 oops — every try failed with retryable errors and no fallback tier was left; 3 attempts, total $0",
    );
  });
});
