import type { FinishReason } from "../types.ts";

/**
 * Vendor stop reasons mapped to the normalised {@link FinishReason}; anything not listed is
 * `other` (the raw word is always kept in `rawFinishReason`).
 */
const finishReasons: Readonly<Record<string, FinishReason>> = {
  // OpenAI: natural end or a stop sequence.
  stop: "stop",
  // Anthropic: natural end of the turn.
  end_turn: "stop",
  // Anthropic: one of `stop_sequences` was produced.
  stop_sequence: "stop",
  // OpenAI: `max_completion_tokens` / `max_tokens` reached.
  length: "length",
  // Anthropic: `max_tokens` reached.
  max_tokens: "length",
  // Anthropic: the context window filled up first; the answer is cut just the same.
  model_context_window_exceeded: "length",
  // OpenAI: content omitted by the content filter.
  content_filter: "content_filter",
  // Anthropic: the model declined for safety reasons.
  refusal: "refusal",
  // OpenAI: the model called tools.
  tool_calls: "tool_calls",
  // OpenAI (deprecated single-function form of tool_calls).
  function_call: "tool_calls",
  // Anthropic: the model called tools.
  tool_use: "tool_calls",
};

/** Maps a vendor's stop reason to the normalised one; `null`/unknown become `other`. */
export function normalizeFinishReason(raw: string | null | undefined): FinishReason {
  if (raw === null || raw === undefined) return "other";
  return Object.hasOwn(finishReasons, raw) ? (finishReasons[raw] ?? "other") : "other";
}
