import type { ChatMessage, ResponseFormat } from "../request-types.ts";

/** The answer a check judges. */
export interface CheckAnswer {
  text: string;
  /** The normalised finish reason (`stop`, `length`, `content_filter`, `refusal`, …). */
  finishReason: string;
  /**
   * The parsed JSON answer as the user will receive it (without a `confidence` field the router
   * itself asked for), or `undefined`/`null` when the answer is not JSON or does not parse.
   */
  outputJson: unknown;
  usage: { inputTokens: number; outputTokens: number };
}

/** What was asked. */
export interface CheckContext {
  task: string;
  messages: readonly ChatMessage[];
  /** The request's `response_format` (`{ type: "text" }` when it gave none). */
  responseFormat: ResponseFormat;
  /** The input's tokens as routing counted them (o200k, messages with their framing). */
  inputTokens: number;
}

/** A check's verdict on one answer. `reason` is always filled: `ok`, or what failed. */
export interface CheckResult {
  passed: boolean;
  reason: string;
}

/**
 * A quality check: pure or async, it must not change its arguments. A custom check is a module
 * whose default export is such a function (see `examples/checks/`).
 */
export type Check = (answer: CheckAnswer, context: CheckContext) => CheckResult | Promise<CheckResult>;

/** One check's verdict, as recorded in the attempt. */
export interface CheckVerdict {
  name: string;
  passed: boolean;
  reason: string;
}

/** Checks by name: the built-ins and a task's custom checks. */
export type CheckRegistry = ReadonlyMap<string, Check>;

/** The verdict of a check that found nothing wrong. */
export const PASSED: CheckResult = Object.freeze({ passed: true, reason: "ok" });
