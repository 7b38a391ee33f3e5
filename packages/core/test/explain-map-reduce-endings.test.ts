import { describe, expect, it } from "vitest";
import type { JobExplanation } from "../src/explain/explanation-schema.ts";
import { partIdsOf } from "../src/explain/map-reduce-parts.ts";
import { at, attempt, explain, failedCall, resultOf } from "./explain-fixtures.ts";
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

const BAD_REQUEST = "openai: 400 Simulated invalid request. (llmr simulator)";

/** Part 2 of 3 fails for good (a 400); part 3's call, under way, finishes cancelled after the job failed. */
function failedPartJob() {
  const L = (index: number) => ({ round: 1, index, total: 3 });
  const p1 = [summaryAttempt(1, "fast/gpt-5.4-nano", 200, 400, 0.9)];
  const p2 = [failedCall(1, "fast/gpt-5.4-nano", 200, 260, "error", BAD_REQUEST)];
  const p3 = [
    attempt(1, "fast/gpt-5.4-nano", 210, 900, {
      outcome: "cancelled",
      detail: "cancelled while the call ran",
    }),
  ];
  const message = `part 2 of 3, characters 3,120–6,410 of the input failed: provider_error: ${BAD_REQUEST}`;
  const attempts = [...merged(L(1), 1, p1), ...merged(L(2), 2, p2), ...merged(L(3), 3, p3)];
  const record = mapReduceJob(
    {
      status: "failed",
      attempts,
      cost_usd: 0.0000125,
      error: { type: "chunk_failed", message },
      finished_at: at(300),
      progress: { phase: "map", round: 1, chunks_done: 1, chunks_total: 3 },
    },
    {
      phase: "map",
      round: 1,
      material: 0,
      parts: [
        { id: `${JOB_ID}-r1p1`, start: 0, end: 3_120, tokens: 790 },
        { id: `${JOB_ID}-r1p2`, start: 3_120, end: 6_410, tokens: 788 },
        { id: `${JOB_ID}-r1p3`, start: 6_410, end: 9_050, tokens: 760 },
      ],
      outputs: ["s1", null, null],
      merged: [`${JOB_ID}-r1p1`, `${JOB_ID}-r1p2`, `${JOB_ID}-r1p3`],
    },
  );
  const parts = partsMap(
    { record: partRecord(L(1), p1, { status: "succeeded" }) },
    {
      record: partRecord(L(2), p2, {
        status: "failed",
        error: { type: "provider_error", message: BAD_REQUEST },
      }),
    },
    { record: partRecord(L(3), p3, { status: "cancelled" }) },
  );
  return { record, parts };
}

describe("explainJob: how a map-reduce job ends", () => {
  it("tells chunk_failed: the failed part with its own error, not retried; the stopped parts; nothing combined", () => {
    const { record, parts } = failedPartJob();
    const explanation = explain({ record, parts, task: SUMMARIZE });
    // Part 2's 400 is followed in the history by part 3's call on the same tier: not a retry.
    expect(kinds(explanation)).toEqual([
      "routed",
      "split",
      "part@1",
      "attempt@1",
      "checks@1",
      "confidence@1",
      "part@2",
      "attempt@2",
      "part@3",
      "attempt@3",
      "finished",
    ]);
    const [, part2, part3] = all(explanation, "part");
    expect(part2).toMatchObject({
      status: "failed",
      error: { type: "provider_error", message: BAD_REQUEST },
      attempts: [2],
    });
    expect(part2?.text).toBe(
      `part 2/3 (characters 3,120–6,410 of the input, 788 tokens): failed with provider_error: ${BAD_REQUEST} at the first attempt; $0`,
    );
    expect(part3).toMatchObject({ status: "cancelled", attempts: [3] });
    expect(part3?.text).toMatch(/: cancelled, its job stopped it, at the first attempt; \$0$/);
    expect(all(explanation, "finished")[0]?.text).toBe(
      `failed with chunk_failed: ${record.job.error?.message} — one part of the split input failed for good (its steps are above), so the other parts were stopped and nothing was combined; 3 attempts (3 on the parts, 0 combining), total $0.0000125`,
    );
    expect(explanation.summary).toBe(
      `Failed (chunk_failed): ${record.job.error?.message}; the input (2,400 tokens) was split into 3 parts summarized in 3 attempts; total $0.0000125 ($0.0000125 on the parts, $0 combining).`,
    );
  });

  it("tells the failed part from the job's error when the parts' records expired", () => {
    const { record } = failedPartJob();
    const explanation = explain({ record, task: SUMMARIZE });
    const [part1, part2, part3] = all(explanation, "part");
    expect(part1).toMatchObject({ status: "succeeded", source: "job_attempts" });
    expect(part2).toMatchObject({
      status: "failed",
      error: { type: "provider_error", message: BAD_REQUEST },
      source: "job_attempts",
    });
    expect(part3).toMatchObject({ status: "cancelled" });
    expect(all(explanation, "retry")).toEqual([]);
  });

  it("tells two rounds: the summaries split again, each round's parts, and the call combining round 2", () => {
    const R1 = (index: number) => ({ round: 1, index, total: 4 });
    const R2 = (index: number) => ({ round: 2, index, total: 2 });
    const round1 = [1, 2, 3, 4].map((i) => [summaryAttempt(1, "fast/gpt-5.4-nano", 200, 400 + i, 0.9, 300)]);
    const round2 = [1, 2].map((i) => [summaryAttempt(1, "fast/gpt-5.4-nano", 2_100, 2_300 + i, 0.85, 150)]);
    const combine = summaryAttempt(7, "fast/gpt-5.4-nano", 2_500, 2_700, 0.9, 200);
    const attempts = [
      ...round1.flatMap((p, i) => merged(R1(i + 1), i + 1, p)),
      ...round2.flatMap((p, i) => merged(R2(i + 1), i + 5, p)),
      combine,
    ];
    const ids = [1, 2, 3, 4].map((i) => `${JOB_ID}-r1p${i}`).concat([`${JOB_ID}-r2p1`, `${JOB_ID}-r2p2`]);
    const record = mapReduceJob(
      {
        attempts,
        cost_usd: 0.0000875,
        result: resultOf(combine),
        finished_at: at(2_700),
        progress: { phase: "reduce", round: 2, chunks_done: 2, chunks_total: 2 },
      },
      {
        phase: "reduce",
        round: 2,
        material: 0,
        parts: [
          { id: ids[4] ?? "", start: 0, end: 2_460, tokens: 610 },
          { id: ids[5] ?? "", start: 2_460, end: 4_870, tokens: 596 },
        ],
        outputs: ["t1", "t2"],
        merged: ids,
      },
    );
    expect(partIdsOf(record)).toEqual(ids);
    const parts = partsMap(
      ...round2.map((p, i) => ({ record: partRecord(R2(i + 1), p, { status: "succeeded" }) })),
    );
    // A tier whose smallest context window leaves less than chunk_tokens sets the limit.
    const startTier = {
      name: "fast",
      deployments: [{ model: { name: "gpt-5.4-nano", contextWindowTokens: 1_800 } }],
    };
    const explanation = explain({ record, parts, task: SUMMARIZE, startTier });

    expect(explanation.steps.map((s) => s.kind)).toEqual([
      "routed",
      ...["split", ...Array(4).fill(["part", "attempt", "checks", "confidence"]).flat()],
      ...["split", ...Array(2).fill(["part", "attempt", "checks", "confidence"]).flat()],
      ...["combine", "attempt", "checks", "confidence", "finished"],
    ]);
    const [split1, split2] = all(explanation, "split");
    const limit = {
      limit_tokens: 620,
      limited_by: "context_window",
      config_field: "models.gpt-5.4-nano.context_window",
    };
    expect(split1).toMatchObject({ round: 1, source: "input", input_tokens: 2_400, parts: 4, ...limit });
    expect(split2).toMatchObject({
      round: 2,
      source: "summaries",
      input_tokens: 1_200,
      parts: 2,
      max_levels: 3,
      ...limit,
    });
    expect(split2?.at).toBe(at(2_000));
    expect(split2?.text).toBe(
      'the 4 summaries of round 1 together, about 1,200 tokens, are still over the limit of one call, 620 tokens (80% of what the smallest context window of tier "fast", models.gpt-5.4-nano.context_window 1,800, leaves after max_output_tokens 1,024; below tasks.summarize.map_reduce.chunk_tokens 800): split again into 2 parts, round 2 of at most 3 (map_reduce.max_levels)',
    );
    const partSteps = all(explanation, "part");
    expect(partSteps.map((p) => [p.part.round, p.part.index, p.source, p.span?.tokens ?? null])).toEqual([
      [1, 1, "job_attempts", null],
      [1, 2, "job_attempts", null],
      [1, 3, "job_attempts", null],
      [1, 4, "job_attempts", null],
      [2, 1, "part_record", 610],
      [2, 2, "part_record", 596],
    ]);
    expect(partSteps[4]?.text).toBe(
      'round 2 part 1/2 (characters 0–2,460 of the round\'s text, 610 tokens): succeeded on tier "fast" at the first attempt; $0.0000125',
    );
    expect(all(explanation, "attempt")[0]?.text).toMatch(/^round 1 part 1\/4: attempt 1 on tier "fast"/);
    expect(all(explanation, "combine")[0]).toMatchObject({ round: 2, summaries: 2, tier: "fast" });
    expect(all(explanation, "combine")[0]?.text).toMatch(
      /combines the 2 summaries of round 2 into one answer/,
    );
    expect(explanation.summary).toMatch(
      /^Succeeded on tier "fast" \(simulated-openai gpt-5\.4-nano\): the input \(2,400 tokens\) was split into 4 parts, their summaries again into 2 \(2 rounds\) summarized in 6 attempts; the summaries were combined at the first attempt;/,
    );
  });

  it("tells the split as it was made when the record kept it, even after the config changed", () => {
    const label = { round: 1, index: 1, total: 2 };
    const parts = [1, 2].map((i) => [summaryAttempt(1, "fast/gpt-5.4-nano", 200, 400 + i, 0.9, 300)]);
    const ids = [`${JOB_ID}-r1p1`, `${JOB_ID}-r1p2`];
    const record = mapReduceJob(
      {
        attempts: parts.flatMap((p, i) => merged({ ...label, index: i + 1 }, i + 1, p)),
        progress: { phase: "map", round: 1, chunks_done: 2, chunks_total: 2 },
      },
      {
        phase: "map",
        round: 1,
        material: 0,
        parts: ids.map((id, i) => ({ id, start: i * 3_000, end: (i + 1) * 3_000, tokens: 700 })),
        outputs: ["s1", "s2"],
        merged: ids,
        rounds: [{ round: 1, parts: 2, input_tokens: 1_390, limit_tokens: 750, at: at(150) }],
      },
    );
    const explanation = explain({ record, parts: partsMap(), task: SUMMARIZE });
    const [split] = all(explanation, "split");
    expect(split).toMatchObject({ round: 1, input_tokens: 1_390, limit_tokens: 750, parts: 2, at: at(150) });
    expect(split?.text).toContain(
      "the limit of one call when it was split, 750 tokens (tasks.summarize.map_reduce.chunk_tokens or a context window then; the config now gives 800)",
    );
  });

  it("tells a job cancelled in its map phase: the parts' late calls stay with their parts, the cancel comes last", () => {
    const { record } = failedPartJob();
    const late = summaryAttempt(1, "fast/gpt-5.4-nano", 210, 900, 0.9);
    const cancelled = {
      ...record,
      job: {
        ...record.job,
        status: "cancelled" as const,
        error: null,
        finished_at: at(300),
        attempts: [
          ...record.job.attempts.slice(0, 1),
          ...merged({ round: 1, index: 3, total: 3 }, 2, [late]),
        ],
      },
    };
    const explanation = explain({ record: cancelled, task: SUMMARIZE });
    expect(explanation.steps.at(-1)?.kind).toBe("finished");
    expect(all(explanation, "part").map((p) => p.status)).toEqual(["succeeded", "cancelled", "succeeded"]);
    expect(all(explanation, "attempt")[1]?.text).toMatch(
      /^part 3\/3: attempt 2 .*; the call finished after the job was cancelled: its answer was discarded, its cost counts$/,
    );
    expect(explanation.summary).toMatch(
      /^Cancelled by the client in round 1, 1 of 3 parts summarized: the input/,
    );
  });

  it("tells a job still in its map phase: how many parts are done, no combining step yet", () => {
    const { record } = failedPartJob();
    const running = {
      ...record,
      job: {
        ...record.job,
        status: "running" as const,
        error: null,
        finished_at: null,
        attempts: record.job.attempts.slice(0, 1),
      },
      map_reduce: record.map_reduce && { ...record.map_reduce, merged: [`${JOB_ID}-r1p1`] },
    };
    const explanation = explain({ record: running, task: SUMMARIZE });
    expect(all(explanation, "combine")).toEqual([]);
    expect(all(explanation, "part").map((p) => p.status)).toEqual(["succeeded", "unknown", "unknown"]);
    expect(all(explanation, "pending")[0]?.text).toBe(
      "not finished: running in round 1, 1 of 3 parts summarized; so far 1 attempt (1 on the parts, 0 combining), total $0.0000125",
    );
  });
});
