import type { JobRecord } from "../job-record.ts";
import { CONTEXT_SHARE } from "../map-reduce/plan-parts.ts";
import type { TaskPolicy } from "./explain-attempt.ts";
import { explainPart } from "./explain-part.ts";
import type { ExplainStep } from "./explanation-schema.ts";
import type { RoundFacts } from "./map-reduce-parts.ts";

/**
 * The context windows of the job's starting tier, as the config has them now (a `ResolvedTier`
 * fits): the smallest one may set a part's size below `chunk_tokens`.
 */
export interface TierWindows {
  name: string;
  deployments: ReadonlyArray<{ model: { name: string; contextWindowTokens: number } }>;
}

export interface MapReduceStory {
  record: JobRecord;
  rounds: readonly RoundFacts[];
  task: TaskPolicy | undefined;
  startTier: TierWindows | undefined;
}

type SplitStep = Extract<ExplainStep, { kind: "split" }>;

/**
 * A map-reduce job's story before its own calls: each round's split (what was split, the limit
 * and the config field behind it), each part with its own attempts and escalations, then the step
 * that hands over to the job's own call combining the last round's summaries.
 */
export function explainMapReduce(story: MapReduceStory): ExplainStep[] {
  const steps: ExplainStep[] = [];
  story.rounds.forEach((round, i) => {
    steps.push(splitStep(story, round, story.rounds[i - 1]));
    for (const part of round.parts) {
      steps.push(...explainPart(story.record, part, story.rounds.length, story.task));
    }
  });
  const combine = combineStep(story);
  if (combine) steps.push(combine);
  return steps;
}

/** The most tokens one call may take (`partLimit` of the map-reduce code), and what set it. */
function limitOf(story: MapReduceStory): Pick<SplitStep, "limit_tokens" | "limited_by" | "config_field"> & {
  words: string;
} {
  const { record, task, startTier } = story;
  const chunkField = `tasks.${record.job.task}.map_reduce.chunk_tokens`;
  const settings = task?.mapReduce;
  if (!settings) {
    return {
      limit_tokens: null,
      limited_by: null,
      config_field: chunkField,
      words: `the limit of one call (${chunkField}; the task has no map_reduce in the config now)`,
    };
  }
  const smallest = startTier?.deployments.reduce((a, b) =>
    b.model.contextWindowTokens < a.model.contextWindowTokens ? b : a,
  );
  const maxOutput = record.request.max_output_tokens;
  const room = smallest
    ? Math.floor((smallest.model.contextWindowTokens - maxOutput) * CONTEXT_SHARE)
    : Number.POSITIVE_INFINITY;
  if (smallest && room < settings.chunkTokens) {
    const field = `models.${smallest.model.name}.context_window`;
    const limit = Math.max(1, room);
    return {
      limit_tokens: limit,
      limited_by: "context_window",
      config_field: field,
      words: `the limit of one call, ${count(limit)} tokens (${Math.round(CONTEXT_SHARE * 100)}% of what the smallest context window of tier "${startTier?.name}", ${field} ${count(smallest.model.contextWindowTokens)}, leaves after max_output_tokens ${count(maxOutput)}; below ${chunkField} ${count(settings.chunkTokens)})`,
    };
  }
  return {
    limit_tokens: settings.chunkTokens,
    limited_by: "chunk_tokens",
    config_field: chunkField,
    words: `the limit of one call, ${count(settings.chunkTokens)} tokens (${chunkField})`,
  };
}

/** The limit as the round was split under it (kept in the record), where the record has it. */
function limitWhenSplit(story: MapReduceStory, round: number): ReturnType<typeof limitOf> {
  const now = limitOf(story);
  const kept = story.record.map_reduce?.rounds?.find((facts) => facts.round === round);
  if (!kept || kept.limit_tokens === now.limit_tokens) return now;
  const chunkField = `tasks.${story.record.job.task}.map_reduce.chunk_tokens`;
  return {
    limit_tokens: kept.limit_tokens,
    limited_by: null,
    config_field: chunkField,
    words: `the limit of one call when it was split, ${count(kept.limit_tokens)} tokens (${chunkField} or a context window then; the config now gives ${now.limit_tokens === null ? "none" : count(now.limit_tokens)})`,
  };
}

function splitStep(story: MapReduceStory, round: RoundFacts, before: RoundFacts | undefined): SplitStep {
  const { record, task } = story;
  const { words, ...limit } = limitWhenSplit(story, round.round);
  const maxLevels = task?.mapReduce?.maxLevels ?? null;
  const kept = record.map_reduce?.rounds?.find((facts) => facts.round === round.round);
  const inputTokens =
    kept?.input_tokens ??
    (round.round === 1 ? record.route.input_tokens : before ? summaryTokens(before) : null);
  const parts = `${round.total} parts`;
  let text: string;
  if (round.round === 1) {
    text = `the input, ${count(record.route.input_tokens)} tokens, is over ${words}: split into ${parts}, each summarized as its own job (routed cheap first, checked, escalating on its own); their summaries are then combined`;
  } else {
    const what = before
      ? `the ${before.total} summaries of round ${before.round}`
      : "the summaries of the round before";
    const size = inputTokens === null ? "" : `, about ${count(inputTokens)} tokens,`;
    const levels = maxLevels === null ? "" : ` of at most ${maxLevels} (map_reduce.max_levels)`;
    text = `${what} together${size} are still over ${words}: split again into ${parts}, round ${round.round}${levels}`;
  }
  return {
    at: splitTime(record, round),
    kind: "split",
    round: round.round,
    source: round.round === 1 ? "input" : "summaries",
    input_tokens: inputTokens,
    parts: round.total,
    ...limit,
    max_levels: maxLevels,
    text,
  };
}

/** The tokens of a round's accepted answers added up (what the next round split); null if one is unknown. */
function summaryTokens(round: RoundFacts): number | null {
  let total = 0;
  for (const part of round.parts) {
    const accepted = part.attempts.findLast((attempt) => attempt.outcome === "succeeded");
    if (!accepted) return null;
    total += accepted.usage.output_tokens;
  }
  return total;
}

/** When the round was split (kept in the record), else its parts' creation, else their first start. */
function splitTime(record: JobRecord, round: RoundFacts): string {
  const kept = record.map_reduce?.rounds?.find((facts) => facts.round === round.round);
  if (kept) return kept.at;
  const times = round.parts.flatMap((part) => (part.stored ? [part.stored.record.job.created_at] : []));
  if (times.length === 0 && round.round === 1 && record.job.started_at) times.push(record.job.started_at);
  if (times.length === 0)
    times.push(...round.parts.flatMap((part) => part.attempts.map((a) => a.started_at)));
  return times.sort()[0] ?? record.job.created_at;
}

/** The hand-over to the job's own call, once its parts are all summarized (or it made a call). */
function combineStep({ record, rounds }: MapReduceStory): ExplainStep | undefined {
  const own = record.job.attempts.filter((attempt) => !attempt.chunk);
  const last = rounds.at(-1);
  if (!last || (own.length === 0 && record.map_reduce?.phase !== "reduce")) return undefined;
  const first = own[0];
  const tier = first?.tier ?? record.job.tier;
  const what =
    rounds.length === 1
      ? `the ${last.total} parts' summaries`
      : `the ${last.total} summaries of round ${last.round}`;
  const finished = record.job.attempts
    .filter((attempt) => attempt.chunk)
    .map((attempt) => attempt.finished_at);
  return {
    at: first?.started_at ?? finished.sort().at(-1) ?? record.job.created_at,
    kind: "combine",
    round: last.round,
    summaries: last.total,
    tier,
    text: `the job's own call combines ${what} into one answer on tier "${tier}"${first ? "" : " (not started yet)"}; the attempts and escalations below are the job's own`,
  };
}

const count = (value: number): string => value.toLocaleString("en-US");
