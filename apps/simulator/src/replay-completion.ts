/**
 * A replayed answer as a {@link CompletionPlan}: the recorded text instead of a generated one, with
 * everything else done as for a generated answer (the simulator's tokenizer for usage, the token limit
 * and fault `truncate` for the cut, the model's latency and the `latency_ms` / `slow_stream` pacing),
 * so both endpoints render it, streamed or not, exactly like any other answer.
 *
 * Recordings carry no log probabilities and no "judgement", so none are invented: a request that asks
 * for logprobs gets an empty list, and the plan has no judgement.
 */

import type { FaultDecision } from "./fault-plan.ts";
import { fitAnswer } from "./fit-answer.ts";
import { planLatency } from "./latency.ts";
import type { SimDirectives } from "./marker.ts";
import type { SimulatedModel } from "./model-table.ts";
import { rngFromParts } from "./rng.ts";
import { type CompletionPlan, promptFingerprint, type SimRequest } from "./simulate.ts";

export interface ReplayInput {
  /** The recorded answer of the requested model. */
  recordedText: string;
  request: SimRequest;
  modelId: string;
  model: SimulatedModel;
  directives: SimDirectives;
  fault: FaultDecision | undefined;
  inputTokens: number;
  seed: number;
  latencyScale: number;
}

export function replayCompletion(input: ReplayInput): CompletionPlan {
  const { request, model, fault } = input;
  const maxOutputTokens = request.maxOutputTokens ?? model.maxOutputTokens;
  const { text, tokens, finish } = fitAnswer(input.recordedText, fault, maxOutputTokens);
  const latency = planLatency({
    model,
    outputTokens: tokens.length,
    latencyScale: input.latencyScale,
    rng: rngFromParts(input.seed, "latency", input.modelId, promptFingerprint(request)),
    fixedTotalMs: input.directives.latencyMs,
    chunkDelayMs: fault?.kind === "slow_stream" ? fault.chunkDelayMs : undefined,
  });
  const plan: CompletionPlan = {
    text,
    tokens,
    finish,
    inputTokens: input.inputTokens,
    outputTokens: tokens.length,
    latency,
  };
  if (request.logprobs) plan.logprobs = [];
  return plan;
}
