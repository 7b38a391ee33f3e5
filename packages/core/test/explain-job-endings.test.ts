import { describe, expect, it } from "vitest";
import { explainJob } from "../src/explain/explain-job.ts";
import type { ExplainStep, JobExplanation } from "../src/explain/explanation-schema.ts";
import { renderExplanationText } from "../src/explain/explanation-text.ts";
import {
  at,
  attempt,
  CHAT,
  chatChecks,
  event,
  explain,
  failedCall,
  jobRecord,
  resultOf,
} from "./explain-fixtures.ts";

const kinds = (explanation: JobExplanation) => explanation.steps.map((step) => step.kind);
const step = <K extends ExplainStep["kind"]>(explanation: JobExplanation, kind: K) =>
  explanation.steps.find((s): s is Extract<ExplainStep, { kind: K }> => s.kind === kind);

describe("explainJob: how jobs end", () => {
  it("tells a fatal 400: not retried, not escalated", () => {
    const detail = "openai: 400 Simulated invalid request. (llmr simulator)";
    const explanation = explain({
      record: jobRecord({
        status: "failed",
        attempts: [failedCall(1, "fast/gpt-5.4-nano", 692, 699, "error", detail)],
        error: { type: "provider_error", message: detail },
      }),
      task: CHAT,
    });
    expect(kinds(explanation)).toEqual(["routed", "attempt", "finished"]);
    expect(step(explanation, "finished")).toMatchObject({
      status: "failed",
      error: { type: "provider_error", message: detail },
      text: `failed with provider_error: ${detail} — a fatal provider error (400, 401, 403, 404, 422) is not retried; 1 attempt, total $0`,
    });
    expect(explanation.summary).toBe(`Failed (provider_error) after 1 attempt: ${detail}; total $0.`);
  });

  it("tells a job cancelled while its call ran: the cancel in its place, the late answer discarded", () => {
    const late = attempt(1, "fast/gpt-5.4-nano", 176, 3187, {
      outcome: "succeeded",
      detail: "answered in 3011 ms; confidence 0.90 (heuristic)",
      usage: { input_tokens: 12, output_tokens: 78 },
      cost_usd: 0.0000999,
      confidence: 0.9,
      confidence_signal: "heuristic",
      checks: chatChecks(),
    });
    const explanation = explain({
      record: jobRecord({ status: "cancelled", attempts: [late], finished_at: at(614) }),
      task: CHAT,
    });
    expect(kinds(explanation)).toEqual(["routed", "attempt", "finished", "checks", "confidence"]);
    expect(step(explanation, "finished")?.text).toBe(
      'cancelled by the client on tier "fast"; 1 attempt, total $0.0000999',
    );
    expect(step(explanation, "attempt")?.text).toMatch(
      /; the call finished after the job was cancelled: its answer was discarded, its cost counts$/,
    );
    expect(explanation.summary).toBe(
      'Cancelled by the client on tier "fast" after 1 attempt; total $0.0000999.',
    );
  });

  it("tells a job cancelled while queued, and a call aborted by the cancel", () => {
    const aborted = failedCall(1, "fast/gpt-5.4-nano", 100, 400, "cancelled", "the call was cancelled");
    const explanation = explain({
      record: jobRecord({ status: "cancelled", attempts: [aborted], finished_at: at(399) }),
    });
    expect(kinds(explanation)).toEqual(["routed", "attempt", "finished"]);
    expect(step(explanation, "attempt")?.text).toMatch(
      /→ cancelled after 300 ms, .* — the call was cancelled/,
    );
    // An aborted call is not retried.
    expect(step(explanation, "retry")).toBeUndefined();
  });

  it("tells a deadline exceeded after a timeout and its retry", () => {
    const timeout = failedCall(
      1,
      "fast/gpt-5.4-nano",
      723,
      1568,
      "timeout",
      "no answer from fast/gpt-5.4-nano within the hard limit of 841 ms",
    );
    const message = "the job did not finish within its deadline (1 s for interactive jobs)";
    const explanation = explain({
      record: jobRecord({
        status: "failed",
        attempts: [timeout],
        error: { type: "deadline_exceeded", message },
        finished_at: at(2006),
      }),
      events: [
        event(723, "status", { status: "running", tier: "fast", deployment: "fast/gpt-5.4-nano" }),
        event(1577, "attempt", timeout),
        event(1577, "status", { status: "queued", tier: "fast", retry_in_ms: 358 }, 1),
      ],
    });
    expect(kinds(explanation)).toEqual(["routed", "attempt", "retry", "finished"]);
    expect(step(explanation, "retry")?.text).toContain(
      'timeout is retryable → next try on tier "fast" in 358 ms',
    );
    expect(step(explanation, "finished")?.text).toContain(`failed with deadline_exceeded: ${message} — `);
    expect(explanation.summary).toBe(`Failed (deadline_exceeded) after 1 attempt: ${message}; total $0.`);
  });

  it("tells a job still running, with the call under way and the soft limit passed", () => {
    const call = {
      tier: "fast",
      deployment: "fast/gpt-5.4-nano",
      provider: "simulated-openai",
      model: "gpt-5.4-nano",
      started_at: at(50),
    };
    const explanation = explain({
      record: jobRecord({ status: "running", attempts: [] }, { in_flight: call }),
      events: [
        event(10_050, "slow", {
          tier: "fast",
          deployment: call.deployment,
          elapsed_ms: 10_000,
          soft_limit_ms: 10_000,
        }),
      ],
    });
    expect(step(explanation, "pending")).toMatchObject({
      status: "running",
      deployment: "fast/gpt-5.4-nano",
      text: `not finished: running on tier "fast": a call to fast/gpt-5.4-nano under way since ${at(50)}; so far 0 attempts, total $0`,
    });
    expect(explanation.summary).toBe('Still running on tier "fast" after 0 attempts; $0 so far.');
  });

  it("names the rule from the reason of a record stored before rules were kept apart", () => {
    const record = jobRecord({
      status: "queued",
      tier: "standard",
      routing: {
        initial_tier: "standard",
        max_tier: "standard",
        reason:
          'rule "long-input": input 12,480 tokens > 8,000 → standard; max_tier "standard" (the request)',
        escalations: [],
      },
    });
    delete record.route.rule;
    delete record.route.matched_rules;
    const routed = step(explain({ record }), "routed");
    expect(routed).toMatchObject({ rule: "long-input", matched_rules: ["long-input"], max_tier: "standard" });
    expect(routed?.text).toContain('may escalate up to "standard"');
  });

  it("renders text lines for a terminal: header, summary, one line per step, cost per attempt", () => {
    const a1 = attempt(1, "fast/gpt-5.4-nano", 60, 114, {
      outcome: "succeeded",
      detail: "answered in 54 ms; confidence 0.90 (heuristic)",
      usage: { input_tokens: 13, output_tokens: 6 },
      cost_usd: 0.0000101,
      confidence: 0.9,
      confidence_signal: "heuristic",
      checks: chatChecks(),
    });
    const text = renderExplanationText(
      explainJob({ record: jobRecord({ attempts: [a1], result: resultOf(a1) }), task: CHAT }),
    );
    const lines = text.trimEnd().split("\n");
    expect(lines[0]).toBe(
      'job job_01m82zet4qentk6jzz58c6d4w9 (tenant "tenant-a", task "chat", interactive): succeeded',
    );
    expect(lines[1]).toMatch(/^Succeeded on tier "fast"/);
    expect(lines).toContain(
      `${at(60)}  attempt             attempt 1 on tier "fast": simulated-openai gpt-5.4-nano (deployment fast/gpt-5.4-nano) → succeeded after 54 ms, 13 input + 6 output tokens, $0.0000101`,
    );
    expect(lines.slice(-2)).toEqual([
      "cost: $0.0000101 in total",
      '  attempt 1: $0.0000101, 13 input + 6 output tokens, 54 ms, succeeded, simulated-openai gpt-5.4-nano on "fast"',
    ]);
  });
});
