import type { Confidence } from "./confidence-types.ts";

/** Why there is no usable self-report, or the confidence it gives. */
export type SelfReport = { ok: true; confidence: Confidence } | { ok: false; problem: string };

/**
 * Reads `outputJson.confidence`: a number in [0, 1] is taken as it is; anything else (missing, a
 * string, 85 meaning 85%) is not used, since guessing what a model meant would make the signal
 * mean different things for different models.
 */
export function selfReportedConfidence(outputJson: unknown): SelfReport {
  if (typeof outputJson !== "object" || outputJson === null || Array.isArray(outputJson)) {
    return { ok: false, problem: "the answer is not a JSON object" };
  }
  if (!("confidence" in outputJson)) return { ok: false, problem: "the answer has no confidence field" };
  const reported = outputJson.confidence;
  if (typeof reported !== "number" || !Number.isFinite(reported)) {
    return { ok: false, problem: "its confidence is not a number" };
  }
  if (reported < 0 || reported > 1) {
    return { ok: false, problem: `its confidence ${reported} is outside [0, 1]` };
  }
  return {
    ok: true,
    confidence: {
      value: reported,
      signal: "self_reported",
      detail: `the answer reports confidence ${reported}`,
    },
  };
}
