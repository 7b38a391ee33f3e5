/**
 * The text of an answer: a summary when summarising was asked, JSON when JSON was asked, otherwise a
 * short answer that refers to the question. Confident answers are on-topic and complete; hedged ones
 * say so ("I'm not sure, but …") and are shorter. All wording comes from the seeded generator.
 */
import type { Judgement } from "./difficulty.ts";
import { generateFromSchema, type JsonValue } from "./json-from-schema.ts";
import type { Rng } from "./rng.ts";
import { extractiveSummary } from "./summarize.ts";
import { findArithmetic, keywords, questionGist, titleCase } from "./topic.ts";

/** The output format a request asked for. */
export type OutputFormat =
  | { type: "text" }
  | { type: "json_object" }
  | { type: "json_schema"; schema: Record<string, unknown> };

export interface ComposeInput {
  system: string;
  /** The last user message, markers stripped. */
  question: string;
  format: OutputFormat;
  judgement: Judgement;
  rng: Rng;
  maxOutputTokens: number;
}

const hedge = "I'm not sure, but";

const bodyTemplates = [
  "In short, {a} comes down to {b}.",
  "The main factor is {a}: get it right and {b} follows.",
  "A practical approach is to handle {a} first and then check {b}.",
  "It also helps to compare {a} with {c} before deciding.",
  "Keep {a} simple, measure its effect on {b}, and adjust.",
  "Most problems with {b} trace back to how {a} is set up.",
  "So the answer is to focus on {a} and treat {b} as the constraint.",
] as const;

const openings = [
  'Here is a direct answer to "{gist}".',
  'To answer "{gist}":',
  'On "{gist}", the short version is this.',
] as const;

/** Whether the request is a summarisation task (the brief's cue: "summar" in system or user text). */
export function isSummaryTask(system: string, question: string): boolean {
  return /summar/i.test(system) || /summar/i.test(question);
}

/** Composes the full answer text (before any token cut). */
export function composeAnswer(input: ComposeInput): string {
  if (input.format.type === "text") return composeText(input);
  const value =
    input.format.type === "json_schema"
      ? composeSchemaValue(input, input.format.schema)
      : composeObject(input);
  return JSON.stringify(value);
}

function composeText(input: ComposeInput): string {
  if (isSummaryTask(input.system, input.question)) {
    return extractiveSummary(input.question, {
      maxTokens: input.maxOutputTokens,
      hedged: !input.judgement.confident,
    });
  }
  return composeProse(input, input.judgement.confident ? input.rng.int(3, 5) : 1);
}

/** A short prose answer of `sentences` body sentences (hedged answers ignore the count). */
function composeProse(input: ComposeInput, sentences: number): string {
  const { rng, judgement } = input;
  const arithmetic = findArithmetic(input.question);
  const slots = topicSlots(input.question);
  if (!judgement.confident) {
    if (arithmetic)
      return `${hedge} I think ${arithmetic.expression} is ${arithmetic.value + rng.pick([-2, -1, 1, 2])}.`;
    const guess = fill(rng.pick(bodyTemplates), slots);
    return `${hedge} ${guess.charAt(0).toLowerCase()}${guess.slice(1)} You may want to double-check this.`;
  }
  if (arithmetic) return `${arithmetic.expression} = ${arithmetic.value}.`;
  const templates = [...bodyTemplates];
  const body: string[] = [];
  for (let index = 0; index < sentences && templates.length > 0; index++) {
    const [template] = templates.splice(rng.int(0, templates.length - 1), 1);
    if (template) body.push(fill(template, slots));
  }
  const gist = questionGist(input.question);
  const opening = gist.length > 0 ? fill(rng.pick(openings), { ...slots, gist }) : "";
  return [opening, ...body].filter(Boolean).join(" ");
}

/** `json_object`: a small object with the answer (or summary) and the simulated confidence. */
function composeObject(input: ComposeInput): JsonValue {
  if (isSummaryTask(input.system, input.question)) {
    return { summary: composeText(input), confidence: input.judgement.confidence };
  }
  return { answer: composeProse(input, 2), confidence: input.judgement.confidence };
}

function composeSchemaValue(input: ComposeInput, schema: Record<string, unknown>): JsonValue {
  const slots = topicSlots(input.question);
  const summary = isSummaryTask(input.system, input.question);
  return generateFromSchema(schema, {
    rng: input.rng,
    confidence: input.judgement.confidence,
    text: (name) => {
      if (/summar/i.test(name) && summary) return composeText(input);
      if (
        /answer|response|result|text|content|explanation|reason|rationale|output|message|body|desc/i.test(
          name,
        )
      ) {
        return summary ? composeText(input) : composeProse(input, 1);
      }
      if (/title|name|topic|label|category|subject|keyword|tag/i.test(name)) return titleCase(slots.a);
      if (/id$/i.test(name)) return `sim-${input.rng.int(0, 0xffffff).toString(16)}`;
      return `${slots.a} ${slots.b}`;
    },
  });
}

interface Slots {
  a: string;
  b: string;
  c: string;
  gist?: string;
}

function topicSlots(question: string): Slots {
  const [a = "the question", b = "the details", c = "the alternatives"] = keywords(question, 3);
  return { a, b, c };
}

function fill(template: string, slots: Slots): string {
  return template.replace(/\{(a|b|c|gist)\}/g, (_match, key: keyof Slots) => slots[key] ?? "");
}

/**
 * A proper prefix of JSON text that no JSON parser accepts, for the `malformed_json` fault.
 * Cutting an object or string anywhere leaves it unterminated; a bare number could still parse, hence
 * the trailing comma.
 */
export function breakJson(json: string): string {
  const prefix = json.slice(0, Math.max(1, Math.floor((json.length * 2) / 3)));
  try {
    JSON.parse(prefix);
    return `${prefix},`;
  } catch {
    return prefix;
  }
}
