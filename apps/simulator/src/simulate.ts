/**
 * The simulated model itself, free of HTTP: from a normalised request to the answer's tokens, log
 * probabilities, finish reason, usage and pacing. Both vendor endpoints render the same plan.
 */
import { breakJson, composeAnswer, type OutputFormat } from "./compose-answer.ts";
import { estimateDifficulty, type Judgement, judge } from "./difficulty.ts";
import type { FaultDecision } from "./fault-plan.ts";
import { type FinishReason, fitAnswer } from "./fit-answer.ts";
import { type LatencyPlan, planLatency } from "./latency.ts";
import { type TokenLogprob, tokenLogprobs } from "./logprobs.ts";
import type { SimDirectives } from "./marker.ts";
import type { SimulatedModel } from "./model-table.ts";
import { rngFromParts } from "./rng.ts";

export interface ChatTurn {
  role: "user" | "assistant";
  content: string;
}

/** A request as both endpoints normalise it (markers already stripped from the texts). */
export interface SimRequest {
  model: string;
  system: string;
  messages: ChatTurn[];
  /** The request's token limit; the model's `maxOutputTokens` when absent. */
  maxOutputTokens?: number;
  temperature?: number;
  format: OutputFormat;
  logprobs: boolean;
  /** Alternatives per token position (OpenAI `top_logprobs`). */
  topLogprobs: number;
  stream: boolean;
  /** OpenAI `stream_options.include_usage`. */
  includeUsage: boolean;
}

export type { FinishReason } from "./fit-answer.ts";

export interface CompletionPlan {
  text: string;
  /** The answer's tokens; they concatenate to `text`. */
  tokens: string[];
  /** Present when the request asked for log probabilities. */
  logprobs?: TokenLogprob[];
  finish: FinishReason;
  inputTokens: number;
  outputTokens: number;
  latency: LatencyPlan;
  /** What the simulated model "thought" of the request; absent for replayed (recorded) answers. */
  judgement?: Judgement;
}

export interface SimulateInput {
  request: SimRequest;
  modelId: string;
  model: SimulatedModel;
  directives: SimDirectives;
  fault: FaultDecision | undefined;
  inputTokens: number;
  seed: number;
  latencyScale: number;
}

export function simulateCompletion(input: SimulateInput): CompletionPlan {
  const { request, model, directives, fault, seed } = input;
  const promptText = promptFingerprint(request);
  const difficulty = directives.difficulty ?? estimateDifficulty(seed, promptText, input.inputTokens);
  const judgement = judge(model.capability, difficulty, directives.confidence);
  const maxOutputTokens = request.maxOutputTokens ?? model.maxOutputTokens;

  // Temperature is part of the wording seed: a different temperature may word the answer differently.
  const rng = rngFromParts(seed, "answer", input.modelId, promptText, request.temperature ?? "default");
  const question = [...request.messages].reverse().find((turn) => turn.role === "user")?.content ?? "";
  let composed = composeAnswer({
    system: request.system,
    question,
    format: request.format,
    judgement,
    rng,
    maxOutputTokens,
  });
  if (fault?.kind === "malformed_json" && request.format.type !== "text") composed = breakJson(composed);
  const { text, tokens, finish } = fitAnswer(composed, fault, maxOutputTokens);

  const latencyRng = rngFromParts(seed, "latency", input.modelId, promptText);
  const latency = planLatency({
    model,
    outputTokens: tokens.length,
    latencyScale: input.latencyScale,
    rng: latencyRng,
    fixedTotalMs: directives.latencyMs,
    chunkDelayMs: fault?.kind === "slow_stream" ? fault.chunkDelayMs : undefined,
  });

  const plan: CompletionPlan = {
    text,
    tokens,
    finish,
    inputTokens: input.inputTokens,
    outputTokens: tokens.length,
    latency,
    judgement,
  };
  if (request.logprobs) {
    const logprobRng = rngFromParts(seed, "logprobs", input.modelId, promptText);
    plan.logprobs = tokenLogprobs(tokens, judgement, logprobRng, request.topLogprobs);
  }
  return plan;
}

/** The prompt as one string, for the seeded hashes (roles included so a moved line changes it). */
export function promptFingerprint(request: SimRequest): string {
  const turns = request.messages.map((turn) => `${turn.role}: ${turn.content}`);
  return [`system: ${request.system}`, ...turns].join("\n");
}
