import type { CheckAnswer, CheckContext } from "../src/checks/check-types.ts";
import type { ChatMessage } from "../src/request-types.ts";

/** An answer that finished normally, with `text` and whatever the test overrides. */
export function answerOf(text: string, overrides: Partial<CheckAnswer> = {}): CheckAnswer {
  return {
    text,
    finishReason: "stop",
    outputJson: undefined,
    usage: { inputTokens: 50, outputTokens: 40 },
    ...overrides,
  };
}

/** A chat request asking `question`, with whatever the test overrides. */
export function contextOf(question: string, overrides: Partial<CheckContext> = {}): CheckContext {
  const messages: ChatMessage[] = [{ role: "user", content: question }];
  return { task: "chat", messages, responseFormat: { type: "text" }, inputTokens: 50, ...overrides };
}
