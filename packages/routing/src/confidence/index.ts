export { assessConfidence } from "./assess-confidence.ts";
export type { Confidence, ConfidenceInput, ConfidenceSignal } from "./confidence-types.ts";
export type { HedgeStrength, HedgingPhrase } from "./hedging-phrases.ts";
export { HEDGING_PHRASES } from "./hedging-phrases.ts";
export { heuristicConfidence, PLAIN_ANSWER_CONFIDENCE } from "./heuristic-confidence.ts";
export { logprobConfidence } from "./logprob-confidence.ts";
export { selfReportInstruction, withConfidenceField } from "./self-report-request.ts";
