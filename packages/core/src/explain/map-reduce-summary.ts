import { sumCostUsd } from "../cost.ts";
import type { JobRecord } from "../job-record.ts";
import { partEscalations } from "./explain-part.ts";
import { causeOf, causeWords, plural, signalWords, usd } from "./explain-words.ts";
import type { RoundFacts } from "./map-reduce-parts.ts";

/** What a map-reduce job spent: its parts' calls and its own (combining) calls. */
export function costSplit(record: JobRecord): { parts_usd: number; combine_usd: number } {
  const { attempts } = record.job;
  return {
    parts_usd: sumCostUsd(attempts.filter((a) => a.chunk).map((a) => a.cost_usd)),
    combine_usd: sumCostUsd(attempts.filter((a) => !a.chunk).map((a) => a.cost_usd)),
  };
}

/** "14 attempts (12 on the parts, 2 combining)". */
export function attemptsWords(record: JobRecord): string {
  const { attempts } = record.job;
  const parts = attempts.filter((a) => a.chunk).length;
  return `${plural(attempts.length, "attempt")} (${parts} on the parts, ${attempts.length - parts} combining)`;
}

/** A map-reduce job's story in one sentence: how it ended, the split, its parts, its own calls, cost. */
export function summarizeMapReduce(record: JobRecord, rounds: readonly RoundFacts[]): string {
  const job = record.job;
  const own = job.attempts.filter((attempt) => !attempt.chunk);
  const { parts_usd, combine_usd } = costSplit(record);
  const total = `${usd(job.cost_usd)} (${usd(parts_usd)} on the parts, ${usd(combine_usd)} combining)`;

  const [first, ...later] = rounds;
  let split = `the input (${record.route.input_tokens.toLocaleString("en-US")} tokens) was split into ${plural(first?.total ?? 0, "part")}`;
  if (later.length > 0)
    split += `, their summaries again into ${later.map((r) => r.total).join(", then ")} (${rounds.length} rounds)`;
  const partTries = job.attempts.length - own.length;
  split += ` summarized in ${plural(partTries, "attempt")}`;
  const escalated = rounds
    .flatMap((round) => round.parts)
    .map(partEscalations)
    .filter((e) => e.length > 0);
  if (escalated.length > 0) {
    const causes = [...new Set(escalated.flat().map((e) => causeWords(e.cause)))];
    split += `; ${plural(escalated.length, "part")} escalated on ${escalated.length === 1 ? "its" : "their"} own (${causes.join(", ")})`;
  }

  const moves = job.routing.escalations.map((escalation) =>
    causeWords(causeOf(own.findLast((attempt) => attempt.finished_at <= escalation.at))),
  );
  const escalations =
    moves.length > 0 ? ` and ${plural(moves.length, "escalation")} (${moves.join(", ")})` : "";
  const combined =
    own.length === 0
      ? ""
      : `; the summaries were combined ${own.length === 1 ? "at the first attempt" : `after ${plural(own.length, "attempt")}${escalations}`}`;

  switch (job.status) {
    case "succeeded": {
      const result = job.result;
      const where = `tier "${result?.tier ?? job.tier}"${result ? ` (${result.provider} ${result.model})` : ""}`;
      const confidence =
        result?.confidence == null
          ? ""
          : `; confidence ${result.confidence.toFixed(2)} (${signalWords(result.confidence_signal ?? "")})`;
      return `Succeeded on ${where}: ${split}${combined}${confidence}; total ${total}.`;
    }
    case "failed":
      return `Failed (${job.error?.type ?? "unknown"}): ${job.error?.message ?? ""}; ${split}${combined}; total ${total}.`;
    case "cancelled":
      return `Cancelled by the client ${progressWords(record)}: ${split}${combined}; total ${total}.`;
    default:
      return `Still ${job.status}, ${progressWords(record)}: ${split}${combined}; ${total} so far.`;
  }
}

/** Where a map-reduce job is (or was when it stopped): a round's parts, or combining their summaries. */
export function progressWords(record: JobRecord): string {
  const progress = record.job.progress;
  if (progress?.phase === "map") {
    return `in round ${progress.round}, ${progress.chunks_done} of ${progress.chunks_total} parts summarized`;
  }
  return `combining the summaries on tier "${record.job.tier}"`;
}
