/**
 * The harness's view of replay files: each record's prompt, task and, per model, whether its
 * recorded answer was right. The grader's `correct` flag lives only here, in the harness: the router
 * sees the records through the replay simulator, which keeps nothing but the answer texts.
 */
import { readFile } from "node:fs/promises";
import { z } from "zod";
import { EvaluationError } from "./evaluation-error.ts";

const replayLine = z.looseObject({
  id: z.string().min(1).optional(),
  task: z.string().min(1).optional(),
  messages: z
    .array(z.strictObject({ role: z.enum(["system", "user", "assistant"]), content: z.string().min(1) }))
    .min(1),
  responses: z.record(
    z.string().min(1),
    z.looseObject({ text: z.string(), correct: z.boolean(), cost_usd: z.number().optional() }),
  ),
});

export type ChatMessage = { role: "system" | "user" | "assistant"; content: string };

/** One record: what to ask, and the verdict on each model's recorded answer. */
export interface ReplayRecord {
  /** The record's `id`, or `<file>:<line>` when it has none. */
  id: string;
  /** The record's task; `chat` when it names none. */
  task: string;
  messages: ChatMessage[];
  /** Model → the recorded answer and its verdict. */
  responses: Record<string, { text: string; correct: boolean }>;
}

/** Task of a record that names none (the router's own default task). */
export const defaultTask = "chat";

/** Parses one JSONL text; `source` names it in error messages. */
export function parseReplayRecords(text: string, source: string): ReplayRecord[] {
  const records: ReplayRecord[] = [];
  for (const [index, line] of text.split("\n").entries()) {
    if (line.trim().length === 0) continue;
    const where = `${source}:${index + 1}`;
    let json: unknown;
    try {
      json = JSON.parse(line);
    } catch (error) {
      throw new EvaluationError(`${where}: not valid JSON`, { cause: error });
    }
    const parsed = replayLine.safeParse(json);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new EvaluationError(`${where}: ${issue?.path.join(".") ?? ""}: ${issue?.message ?? "invalid"}`, {
        cause: parsed.error,
      });
    }
    const { id, task, messages, responses } = parsed.data;
    records.push({
      id: id ?? where,
      task: task ?? defaultTask,
      messages,
      responses: Object.fromEntries(
        Object.entries(responses).map(([model, r]) => [model, { text: r.text, correct: r.correct }]),
      ),
    });
  }
  return records;
}

/** Reads every file in order. */
export async function readReplayRecords(files: readonly string[]): Promise<ReplayRecord[]> {
  const records: ReplayRecord[] = [];
  for (const file of files) {
    let text: string;
    try {
      text = await readFile(file, "utf8");
    } catch (error) {
      throw new EvaluationError(`cannot read replay file ${file}`, { cause: error });
    }
    records.push(...parseReplayRecords(text, file));
  }
  return records;
}

/** Models that answered every record: the ones a tier may be given. */
export function modelsAnsweringAll(records: readonly ReplayRecord[]): string[] {
  const [first, ...rest] = records;
  if (!first) return [];
  return Object.keys(first.responses).filter((model) => rest.every((record) => model in record.responses));
}

/** Share of records whose recorded answer by `model` is right (the oracle, for checks and reports). */
export function recordedAccuracy(records: readonly ReplayRecord[], model: string): number {
  if (records.length === 0) return 0;
  return records.filter((record) => record.responses[model]?.correct === true).length / records.length;
}
