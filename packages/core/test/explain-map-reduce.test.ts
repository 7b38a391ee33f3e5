import { describe, expect, it } from "vitest";
import { explainJob } from "../src/explain/explain-job.ts";
import type { JobExplanation } from "../src/explain/explanation-schema.ts";
import { renderExplanationText } from "../src/explain/explanation-text.ts";
import { at, attempt, event, explain, failedCall, passed, resultOf } from "./explain-fixtures.ts";
import {
  all,
  JOB_ID,
  mapReduceJob,
  merged,
  partRecord,
  partsMap,
  SUMMARIZE,
  summaryAttempt,
} from "./explain-map-reduce-fixtures.ts";

const kinds = (explanation: JobExplanation) =>
  explanation.steps.map((step) =>
    "part" in step && step.part ? `${step.kind}@${step.part.index}` : step.kind,
  );

const L = (index: number, total = 3, round = 1) => ({ round, index, total });

/** 3 parts: part 2 escalates fast → standard on its own, part 3 retries a 429; the combining call escalates to capable. */
function escalatingPartJob() {
  const p1 = [summaryAttempt(1, "fast/gpt-5.4-nano", 200, 400, 0.9)];
  const p2 = [
    summaryAttempt(1, "fast/gpt-5.4-nano", 200, 450, 0.31),
    summaryAttempt(2, "standard/gpt-5.4-mini", 600, 900, 0.88),
  ];
  const p2Move = {
    from_tier: "fast",
    to_tier: "standard",
    reason: "confidence 0.31 (heuristic) < 0.5 → standard",
    at: at(450),
  };
  const limited = "anthropic: 429 Simulated rate limit. (llmr simulator)";
  const p3 = [
    failedCall(1, "fast/claude-haiku-4-5", 210, 380, "rate_limited", limited),
    summaryAttempt(2, "fast/gpt-5.4-nano", 1_400, 1_600, 0.8),
  ];
  const why = "the summary is 9 words long, under 5% of the input";
  const reduce1 = attempt(6, "fast/gpt-5.4-nano", 1_700, 1_900, {
    outcome: "quality_failed",
    detail: `answered in 200 ms; failed summary_length (${why}) → capable`,
    usage: { input_tokens: 420, output_tokens: 12 },
    cost_usd: 0.000008,
    confidence: 0.9,
    confidence_signal: "heuristic",
    checks: passed(["empty", "truncated", "refusal", "summary_length", "language"]).map((check) =>
      check.name === "summary_length" ? { ...check, passed: false, reason: why } : check,
    ),
  });
  const reduce2 = summaryAttempt(7, "capable/gpt-5.4", 2_000, 2_400, 0.95, 300);
  const attempts = [...merged(L(1), 1, p1), ...merged(L(2), 2, p2), ...merged(L(3), 4, p3), reduce1, reduce2];
  const record = mapReduceJob(
    {
      tier: "capable",
      attempts,
      cost_usd: Number(attempts.reduce((sum, a) => sum + a.cost_usd, 0).toFixed(10)),
      result: resultOf(reduce2),
      finished_at: at(2_400),
      progress: { phase: "reduce", round: 1, chunks_done: 3, chunks_total: 3 },
      routing: {
        initial_tier: "fast",
        max_tier: "capable",
        reason: 'task "summarize" starts at its default tier "fast"',
        escalations: [
          { from_tier: "fast", to_tier: "capable", reason: `failed summary_length (${why})`, at: at(1_900) },
        ],
      },
    },
    {
      phase: "reduce",
      round: 1,
      material: 0,
      parts: [
        { id: `${JOB_ID}-r1p1`, start: 0, end: 3_120, tokens: 790 },
        { id: `${JOB_ID}-r1p2`, start: 3_120, end: 6_410, tokens: 788 },
        { id: `${JOB_ID}-r1p3`, start: 6_410, end: 9_050, tokens: 760 },
      ],
      outputs: ["s1", "s2", "s3"],
      merged: [`${JOB_ID}-r1p1`, `${JOB_ID}-r1p2`, `${JOB_ID}-r1p3`],
    },
  );
  const parts = partsMap(
    { record: partRecord(L(1), p1, { status: "succeeded" }) },
    { record: partRecord(L(2), p2, { status: "succeeded" }, [p2Move]) },
    {
      record: partRecord(L(3), p3, { status: "succeeded" }),
      events: [
        event(205, "status", { status: "running", tier: "fast" }),
        event(380, "attempt", { ...p3[0], n: 1 }),
        event(381, "status", { status: "queued", tier: "fast", retry_in_ms: 1_000 }),
        event(1_395, "status", { status: "running", tier: "fast" }),
        event(1_600, "attempt", { ...p3[1], n: 2 }),
      ],
    },
  );
  return { record, parts };
}

describe("explainJob: a long input summarized in parts (map-reduce)", () => {
  it("tells the split, each part with its own attempts and escalation, then the combining call with the job's own", () => {
    const { record, parts } = escalatingPartJob();
    const explanation = explain({ record, parts, task: SUMMARIZE });
    expect(kinds(explanation)).toEqual([
      "routed",
      "split",
      "part@1",
      "attempt@1",
      "checks@1",
      "confidence@1",
      "part@2",
      "attempt@2",
      "checks@2",
      "confidence@2",
      "escalated@2",
      "attempt@2",
      "checks@2",
      "confidence@2",
      "part@3",
      "attempt@3",
      "retry@3",
      "attempt@3",
      "checks@3",
      "confidence@3",
      "combine",
      "attempt",
      "checks",
      "confidence",
      "escalated",
      "attempt",
      "checks",
      "confidence",
      "finished",
    ]);
    expect(all(explanation, "split")[0]).toMatchObject({
      round: 1,
      source: "input",
      input_tokens: 2_400,
      parts: 3,
      limit_tokens: 800,
      limited_by: "chunk_tokens",
      config_field: "tasks.summarize.map_reduce.chunk_tokens",
      text: "the input, 2,400 tokens, is over the limit of one call, 800 tokens (tasks.summarize.map_reduce.chunk_tokens): split into 3 parts, each summarized as its own job (routed cheap first, checked, escalating on its own); their summaries are then combined",
    });
    const [, part2] = all(explanation, "part");
    expect(part2).toMatchObject({
      part: L(2),
      id: `${JOB_ID}-r1p2`,
      status: "succeeded",
      span: { start: 3_120, end: 6_410, tokens: 788 },
      tiers: ["fast", "standard"],
      attempts: [2, 3],
      escalations: [{ from_tier: "fast", to_tier: "standard", cause: "low_confidence" }],
      cost_usd: 0.000025,
      source: "part_record",
    });
    expect(part2?.text).toBe(
      'part 2/3 (characters 3,120–6,410 of the input, 788 tokens): succeeded on tier "standard" after 2 attempts; escalated on its own "fast" → "standard" (low confidence); $0.000025',
    );
    // The part's escalation is its own (from its record), never the job's.
    const [partMove, jobMove] = all(explanation, "escalated");
    expect(partMove).toMatchObject({ attempt: 2, part: L(2), from_tier: "fast", to_tier: "standard" });
    expect(partMove?.text).toBe(
      'part 2/3: escalated "fast" → "standard" (cause: low confidence; escalation 1 of max_escalations 2): confidence 0.31 (heuristic) < 0.5 → standard',
    );
    expect(all(explanation, "confidence")[1]?.text).toMatch(
      /^part 2\/3: confidence 0\.31 .* → escalate fast → standard$/,
    );
    expect(jobMove).toMatchObject({
      attempt: 6,
      from_tier: "fast",
      to_tier: "capable",
      cause: "quality_failed",
    });
    expect(jobMove?.part).toBeUndefined();
    expect(jobMove?.text).toMatch(/\(cause: quality check failed; escalation 1 of max_escalations 2\)/);
    // The retry of part 3 comes from the part's own event stream.
    expect(all(explanation, "retry")).toEqual([
      expect.objectContaining({ attempt: 4, retry_in_ms: 1_000, part: L(3) }),
    ]);
    expect(all(explanation, "combine")[0]).toMatchObject({
      round: 1,
      summaries: 3,
      tier: "fast",
      at: at(1_700),
      text: `the job's own call combines the 3 parts' summaries into one answer on tier "fast"; the attempts and escalations below are the job's own`,
    });
    expect(explanation.summary).toBe(
      'Succeeded on tier "capable" (simulated-openai gpt-5.4): the input (2,400 tokens) was split into 3 parts summarized in 5 attempts; 1 part escalated on its own (low confidence); the summaries were combined after 2 attempts and 1 escalation (quality check failed); confidence 0.95 (text heuristics); total $0.0000705 ($0.00005 on the parts, $0.0000205 combining).',
    );
    expect(explanation.cost).toMatchObject({ parts_usd: 0.00005, combine_usd: 0.0000205 });
    expect(explanation.cost.by_attempt.map((a) => a.chunk?.index ?? null)).toEqual([
      1,
      2,
      2,
      3,
      3,
      null,
      null,
    ]);
    expect(all(explanation, "finished")[0]?.text).toBe(
      'succeeded on tier "capable" with simulated-openai gpt-5.4; 7 attempts (5 on the parts, 2 combining), total $0.0000705',
    );
  });

  it("tells a part from the job's history alone when its record expired: escalation read off its tiers", () => {
    const { record } = escalatingPartJob();
    const explanation = explain({ record, task: SUMMARIZE });
    const [, part2, part3] = all(explanation, "part");
    expect(part2).toMatchObject({ status: "succeeded", source: "job_attempts", tiers: ["fast", "standard"] });
    expect(part2?.text).toMatch(/; its own record expired: told from its attempts in the job's history$/);
    expect(part3).toMatchObject({ status: "succeeded", escalations: [] });
    const [partMove] = all(explanation, "escalated");
    expect(partMove).toMatchObject({
      attempt: 2,
      part: L(2),
      cause: "low_confidence",
      reason: "answered in 250 ms; confidence 0.31 (heuristic) < 0.5 → standard",
    });
    // Without its stream the retry is still told (the next try on the same tier), without its backoff.
    expect(all(explanation, "retry")).toEqual([expect.objectContaining({ attempt: 4, retry_in_ms: null })]);
  });

  it("renders it for a terminal: the parts' steps indented under their part, the cost split", () => {
    const { record, parts } = escalatingPartJob();
    const text = renderExplanationText(explainJob({ record, parts, task: SUMMARIZE }));
    const lines = text.split("\n");
    // The kind column is 20 wide here: a part's steps are indented by 2 under their part.
    const line = (ms: number, kind: string, text: string) => `${at(ms)}  ${kind.padEnd(20)}  ${text}`;
    expect(lines).toContain(
      `${at(200)}  part                  part 1/3 (characters 0–3,120 of the input, 790 tokens): succeeded on tier "fast" at the first attempt; $0.0000125`,
    );
    expect(
      lines.some((l) => l.startsWith(line(450, "  escalated", 'part 2/3: escalated "fast" → "standard"'))),
    ).toBe(true);
    expect(lines.some((l) => l.startsWith(line(1_900, "escalated", 'escalated "fast" → "capable"')))).toBe(
      true,
    );
    expect(lines).toContain("cost: $0.0000705 in total: $0.00005 on the parts, $0.0000205 combining");
    expect(lines.some((l) => l.startsWith("  attempt 2 (round 1 part 2/3): $0.0000125, "))).toBe(true);
    expect(lines.some((l) => l.startsWith("  attempt 6: $0.000008, "))).toBe(true);
  });
});
