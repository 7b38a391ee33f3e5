/**
 * The recorded answers of replay mode, by conversation: which text model M gave to which prompt.
 *
 * A request matches a record on its user and assistant turns (roles and texts, in order), not on the
 * system prompt, because a router may prepend its own system message (asking for a format or a
 * confidence) without changing what was asked. Texts are compared after collapsing runs of whitespace,
 * since stripping a `[[sim]]` marker collapses them too. Only when several records share those turns
 * does the system prompt decide: the record whose system text the request's contains, longest first.
 */
import type { ChatTurn } from "./simulate.ts";

/** One recorded conversation and the answer each model gave to it (text only: nothing else is kept). */
export interface RecordedConversation {
  system: string;
  turns: readonly ChatTurn[];
  /** Model id → the recorded answer text. */
  answers: ReadonlyMap<string, string>;
}

/** What the recordings say about one request. */
export type ReplayLookup =
  | { kind: "answer"; text: string }
  /** No record has these turns. */
  | { kind: "no_prompt" }
  /** A record has these turns, but no answer by the requested model. */
  | { kind: "no_model_answer" };

export interface ReplayIndex {
  /** Every model with at least one recorded answer. */
  readonly models: ReadonlySet<string>;
  /** Number of distinct recorded conversations. */
  readonly size: number;
  lookup(request: { system: string; messages: readonly ChatTurn[] }, model: string): ReplayLookup;
}

interface Entry {
  system: string;
  answers: Map<string, string>;
}

/** Collapses whitespace runs and trims, so that marker stripping or trimming does not break a match. */
export function normalizeText(text: string): string {
  return text.replace(/\s+/g, " ").trim();
}

/** The match key of a conversation: its non-system turns, normalised. */
export function conversationKey(turns: readonly ChatTurn[]): string {
  return JSON.stringify(turns.map((turn) => [turn.role, normalizeText(turn.content)]));
}

/**
 * Indexes recorded conversations. Records with the same turns and system prompt are merged (several
 * files may hold different models' answers to the same prompts); for a model answered twice, the
 * first record read wins.
 */
export function buildReplayIndex(records: Iterable<RecordedConversation>): ReplayIndex {
  const byKey = new Map<string, Entry[]>();
  const models = new Set<string>();
  let size = 0;
  for (const record of records) {
    const key = conversationKey(record.turns);
    const system = normalizeText(record.system);
    const entries = byKey.get(key) ?? [];
    let entry = entries.find((candidate) => candidate.system === system);
    if (!entry) {
      entry = { system, answers: new Map() };
      entries.push(entry);
      byKey.set(key, entries);
      size++;
    }
    for (const [model, text] of record.answers) {
      models.add(model);
      if (!entry.answers.has(model)) entry.answers.set(model, text);
    }
  }

  return {
    models,
    size,
    lookup(request, model) {
      const entries = byKey.get(conversationKey(request.messages));
      if (!entries) return { kind: "no_prompt" };
      const entry = pickBySystem(entries, normalizeText(request.system));
      const text = entry.answers.get(model);
      return text === undefined ? { kind: "no_model_answer" } : { kind: "answer", text };
    },
  };
}

/** Among records with the same turns: the longest system text the request's contains, else the first. */
function pickBySystem(entries: readonly Entry[], requestSystem: string): Entry {
  let best: Entry | undefined;
  for (const entry of entries) {
    if (!requestSystem.includes(entry.system)) continue;
    if (!best || entry.system.length > best.system.length) best = entry;
  }
  return best ?? (entries[0] as Entry);
}
