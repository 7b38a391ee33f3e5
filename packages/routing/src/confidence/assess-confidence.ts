import type { Confidence, ConfidenceInput } from "./confidence-types.ts";
import { heuristicConfidence } from "./heuristic-confidence.ts";
import { logprobConfidence } from "./logprob-confidence.ts";
import { selfReportedConfidence } from "./self-reported-confidence.ts";

/**
 * An answer's confidence in [0, 1] from the best signal available, and which one it was:
 * 1. `logprobs`: the deployment returned token log probabilities (see `logprobConfidence`);
 * 2. `self_reported`: the task asks for it and the JSON answer carries `confidence` in [0, 1];
 * 3. `heuristic`: hedging phrases, length against the task's expectation, finish reason.
 * A self-report that was asked for but is unusable falls back to the heuristics, and the detail says why.
 *
 * @example
 * const confidence = assessConfidence({ text, finishReason: "stop", outputTokens: 42, selfReported: false });
 * if (confidence.value < task.escalation.minConfidence) // escalate: `low_confidence`
 */
export function assessConfidence(input: ConfidenceInput): Confidence {
  if (input.logprobs !== undefined && input.logprobs.length > 0) {
    const fromLogprobs = logprobConfidence(input.logprobs);
    if (fromLogprobs !== undefined) return fromLogprobs;
  }
  let note = "";
  if (input.selfReported) {
    const report = selfReportedConfidence(input.outputJson);
    if (report.ok) return report.confidence;
    note = `no usable self-reported confidence (${report.problem}); `;
  }
  const heuristic = heuristicConfidence(input);
  return { ...heuristic, detail: note + heuristic.detail };
}
