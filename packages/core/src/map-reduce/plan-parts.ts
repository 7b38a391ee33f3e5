import type { ResolvedTask, ResolvedTier } from "@llmr/config";
import { countMessageTokens } from "@llmr/routing";
import type { ChatMessage } from "../job-request.ts";
import type { TextPart } from "./split-text.ts";
import { splitText } from "./split-text.ts";

/**
 * Share of a model's context window a part may fill: token counts are o200k's, and other vendors'
 * tokenizers give 10-20% more on the same text.
 */
export const CONTEXT_SHARE = 0.8;
/** Tokens kept free in a part for the line that says which part it is. */
const PREFACE_TOKENS = 60;

/** A long input cut into parts: which message was cut, and the parts of its text. */
export interface PartPlan {
  /** Index of the message whose content was split (the longest user message). */
  material: number;
  parts: TextPart[];
}

/**
 * The most tokens one call of this job may take before it is split: the task's `chunk_tokens`, or
 * less when a deployment of the tier has a smaller context window (with room for the answer).
 * Undefined when the task does not map-reduce.
 */
export function partLimit(
  task: ResolvedTask,
  tier: ResolvedTier,
  maxOutputTokens: number,
): number | undefined {
  if (!task.mapReduce) return undefined;
  const smallestWindow = Math.min(...tier.deployments.map((d) => d.model.contextWindowTokens));
  const room = Math.floor((smallestWindow - maxOutputTokens) * CONTEXT_SHARE);
  return Math.max(1, Math.min(task.mapReduce.chunkTokens, room));
}

/**
 * How to split `messages` so each part's call stays within `limit` tokens, or undefined when they
 * fit in one call already (or the instructions around the material leave too little room to split it).
 */
export function planParts(
  messages: readonly ChatMessage[],
  limit: number,
  overlapTokens: number,
  material: number = longestUserMessage(messages),
): PartPlan | undefined {
  if (countMessageTokens(messages) <= limit) return undefined;
  if (material < 0 || messages[material]?.role !== "user") return undefined;
  const others = messages.filter((_, index) => index !== material);
  const budget = limit - countMessageTokens(others) - PREFACE_TOKENS - 8;
  if (budget < limit / 4) return undefined;
  const text = messages[material]?.content ?? "";
  const parts = splitText(text, { maxTokens: budget, overlapTokens: Math.min(overlapTokens, budget / 2) });
  return parts.length < 2 ? undefined : { material, parts };
}

/** The messages of one part's call: the job's own messages with the material replaced by the part. */
export function partMessages(
  messages: readonly ChatMessage[],
  material: number,
  text: string,
  label: { round: number; index: number; total: number },
): ChatMessage[] {
  const preface =
    label.round === 1
      ? `Summarize part ${label.index} of ${label.total} of a longer document on its own; the summaries of all parts will be combined into one.`
      : `Summarize these summaries of consecutive parts of one document (group ${label.index} of ${label.total}) into one shorter summary; it will be combined with the others.`;
  return messages.map((message, index) =>
    index === material ? { role: "user", content: `${preface}\n\n${text}` } : message,
  );
}

/** The text a round's answers make together, in order: what the next round splits again. */
export function joinOutputs(outputs: readonly string[]): string {
  return outputs.map((output) => output.trim()).join("\n\n");
}

/** The messages of the last call: the job's own messages with the material replaced by the parts' summaries. */
export function reduceMessages(
  messages: readonly ChatMessage[],
  material: number,
  outputs: readonly string[],
): ChatMessage[] {
  const preface = `Below are summaries of the ${outputs.length} consecutive parts of one document, in order. Combine them into one summary of the whole document.`;
  return messages.map((message, index) =>
    index === material ? { role: "user", content: `${preface}\n\n${joinOutputs(outputs)}` } : message,
  );
}

/** The longest user message (what is being summarized), or -1 when there is none. */
export function longestUserMessage(messages: readonly ChatMessage[]): number {
  let best = -1;
  let bestLength = -1;
  messages.forEach((message, index) => {
    if (message.role === "user" && message.content.length > bestLength) {
      best = index;
      bestLength = message.content.length;
    }
  });
  return best;
}
