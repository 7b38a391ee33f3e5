/** What an answer's confidence is computed from; the processor fills it from the provider's result. */
export interface ConfidenceInput {
  /** The answer text. */
  text: string;
  /** The normalised finish reason (`stop`, `length`, `content_filter`, `refusal`, …). */
  finishReason: string;
  /** Output tokens as the provider reported them. */
  outputTokens: number;
  /** Per-token log probabilities, when the deployment returned them. */
  logprobs?: ReadonlyArray<{ token: string; logprob: number }>;
  /** The parsed JSON answer (with the `confidence` field the model was asked for), if any. */
  outputJson?: unknown;
  /** The task asks structured answers for a `confidence` field (`self_reported_confidence`). */
  selfReported: boolean;
  /**
   * The question the answer replies to (the last user message): lets the heuristics check a
   * worked numeric answer against the quantities it was given.
   */
  question?: string;
  /** How long a good answer to this task usually is (`expected_output_tokens`). */
  expectedOutputTokens?: { min: number; max: number };
}

/** Which signal a confidence came from, best first. */
export type ConfidenceSignal = "logprobs" | "self_reported" | "heuristic";

export interface Confidence {
  /** In [0, 1]; compare it with the task's `min_confidence`. */
  value: number;
  signal: ConfidenceSignal;
  /** What drove the value, in words (`2 hedging phrases: "I'm not sure", "possibly"`). */
  detail: string;
}
