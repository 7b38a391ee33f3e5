/**
 * Reads replay files: JSONL, one recorded conversation per line, in the shape of
 * `../shared/data/replay/*.jsonl`:
 * `{"messages": [{"role", "content"}], "responses": {"<model>": {"text": "...", ...}}, ...}`.
 *
 * Only the messages and each response's `text` are kept. Everything else on the line (`id`, `gold`,
 * a response's `correct`, `cost_usd`) is the evaluation's business, never the simulator's: what is not
 * kept cannot leak into an answer or a header.
 */
import { readFile } from "node:fs/promises";
import { z } from "zod";
import type { RecordedConversation } from "./replay-index.ts";
import type { ChatTurn } from "./simulate.ts";
import { validate } from "./validation.ts";

const replayLine = z.looseObject({
  messages: z
    .array(z.looseObject({ role: z.enum(["system", "user", "assistant"]), content: z.string() }))
    .min(1),
  responses: z.record(z.string().min(1), z.looseObject({ text: z.string() })),
});

/** A replay file that cannot be read or holds a line of the wrong shape; the message names the line. */
export class ReplayFileError extends Error {
  override readonly name = "ReplayFileError";
}

/** Parses one JSONL text; `source` names it in errors. Blank lines are skipped. */
export function parseReplayLines(text: string, source: string): RecordedConversation[] {
  const records: RecordedConversation[] = [];
  const lines = text.split("\n");
  for (const [index, line] of lines.entries()) {
    if (line.trim().length === 0) continue;
    const where = `${source}:${index + 1}`;
    let json: unknown;
    try {
      json = JSON.parse(line);
    } catch (error) {
      throw new ReplayFileError(`${where}: not valid JSON`, { cause: error });
    }
    const parsed = validate(replayLine, json);
    if (!parsed.ok) throw new ReplayFileError(`${where}: ${parsed.message}`);
    const system: string[] = [];
    const turns: ChatTurn[] = [];
    for (const message of parsed.value.messages) {
      if (message.role === "system") system.push(message.content);
      else turns.push({ role: message.role, content: message.content });
    }
    const answers = new Map(
      Object.entries(parsed.value.responses).map(([model, response]) => [model, response.text]),
    );
    // The same join as the OpenAI endpoint, so a recorded system prompt compares like a sent one.
    records.push({ system: system.join("\n\n"), turns, answers });
  }
  return records;
}

/** Reads and parses every file, in order. */
export async function readReplayFiles(files: readonly string[]): Promise<RecordedConversation[]> {
  const records: RecordedConversation[] = [];
  for (const file of files) {
    let text: string;
    try {
      text = await readFile(file, "utf8");
    } catch (error) {
      throw new ReplayFileError(`cannot read replay file ${file}`, { cause: error });
    }
    records.push(...parseReplayLines(text, file));
  }
  return records;
}
