/**
 * How hard a request is, and whether a given model copes with it. The router's escalation logic is
 * only testable if cheap models visibly struggle on hard prompts and strong ones do not, so difficulty
 * is a number in [0, 1] compared with each model's capability.
 */
import { unitFromParts } from "./rng.ts";

/** Values of the marker's named levels (`difficulty=hard`). */
export const difficultyLevels = { easy: 0.15, medium: 0.5, hard: 0.85 } as const;

/** The hash spreads unremarkable prompts over this range, so most are neither trivial nor hard. */
const baseDifficultyMin = 0.05;
const baseDifficultySpan = 0.3;

/** Words that signal multi-step reasoning; each distinct one makes a prompt harder. */
const reasoningCue =
  /\b(prove|proof|analy[sz]e|analysis|compare|contrast|derive|derivation|evaluate|critique|optimi[sz]e|theorem|trade-?offs?|step[- ]by[- ]step|justify)\b/gi;
const reasoningCueWeight = 0.15;
const reasoningCueCap = 0.45;
/** Code in the prompt is harder for small models. */
const codeFenceWeight = 0.15;
/** Long inputs are harder: [input tokens, added difficulty], largest threshold first. */
const lengthCues: ReadonlyArray<readonly [number, number]> = [
  [1500, 0.2],
  [500, 0.12],
  [150, 0.05],
];
const maxDifficulty = 0.99;

/**
 * Difficulty of a prompt: a seeded hash of the text (so it is stable but varied) plus cues.
 * It does not depend on the model, so two models can be compared on the same request.
 */
export function estimateDifficulty(seed: number, promptText: string, inputTokens: number): number {
  let difficulty = baseDifficultyMin + baseDifficultySpan * unitFromParts(seed, "difficulty", promptText);
  const cues = new Set((promptText.match(reasoningCue) ?? []).map((word) => word.toLowerCase()));
  difficulty += Math.min(reasoningCueCap, cues.size * reasoningCueWeight);
  if (promptText.includes("```")) difficulty += codeFenceWeight;
  const lengthCue = lengthCues.find(([threshold]) => inputTokens > threshold);
  if (lengthCue) difficulty += lengthCue[1];
  return round2(Math.min(maxDifficulty, difficulty));
}

/** The simulated model's verdict on a request. */
export interface Judgement {
  difficulty: number;
  /** Capability ≥ difficulty: a confident, on-topic answer; otherwise a hedged one. */
  confident: boolean;
  /** Self-reported confidence in [0, 1]; above 0.5 exactly when `confident`. */
  confidence: number;
}

/** How far past the boundary the confidence saturates. */
const confidenceSaturationMargin = 0.4;

/**
 * Compares capability with difficulty. A forced confidence (marker `confidence=`) decides the outcome
 * directly and the reported difficulty is moved to the matching side of the capability.
 */
export function judge(capability: number, difficulty: number, forcedConfidence?: number): Judgement {
  if (forcedConfidence !== undefined) {
    const confident = forcedConfidence >= 0.5;
    const shift = Math.max(0.01, Math.abs(forcedConfidence - 0.5));
    const moved = confident ? capability - shift : capability + shift;
    return { difficulty: round2(clamp01(moved)), confident, confidence: forcedConfidence };
  }
  const margin = capability - difficulty;
  const strength = Math.min(1, Math.abs(margin) / confidenceSaturationMargin);
  const confident = margin >= 0;
  const confidence = confident ? 0.6 + 0.39 * strength : 0.45 - 0.4 * strength;
  return { difficulty, confident, confidence: round2(confidence) };
}

function clamp01(value: number): number {
  return Math.min(1, Math.max(0, value));
}

function round2(value: number): number {
  return Math.round(value * 100) / 100;
}
