import { z } from "zod";
import { normalizeFinishReason } from "../internal/finish-reason.ts";
import { parseResponseBody } from "../internal/parse-response-body.ts";
import type { CompletionResult, TokenLogprob } from "../types.ts";

/**
 * The fields of a Chat Completions response the adapter reads. Lenient where compatible servers
 * differ from OpenAI (no `usage`, `null` content, missing `logprobs`); unknown fields are ignored.
 */
const chatCompletionSchema = z.object({
  model: z.string(),
  choices: z
    .array(
      z.object({
        finish_reason: z.string().nullish(),
        message: z.object({
          content: z.string().nullish(),
          refusal: z.string().nullish(),
        }),
        logprobs: z
          .object({ content: z.array(z.object({ token: z.string(), logprob: z.number() })).nullish() })
          .nullish(),
      }),
    )
    .min(1),
  usage: z.object({ prompt_tokens: z.number(), completion_tokens: z.number() }).nullish(),
});

/** Maps a Chat Completions response body to the normalised result; throws a classified error if its shape is wrong. */
export function fromOpenAIChatResponse(body: unknown, providerId: string): CompletionResult {
  const response = parseResponseBody(chatCompletionSchema, body, providerId);
  // `.min(1)` above guarantees a first choice.
  const [choice] = response.choices as [(typeof response.choices)[number]];
  const rawFinishReason = choice.finish_reason ?? "unknown";
  const refusal = choice.message.refusal;
  const result: CompletionResult = {
    text: choice.message.content ?? "",
    // OpenAI reports a refusal in `message.refusal` with finish_reason `stop`; the router must see it.
    finishReason: refusal ? "refusal" : normalizeFinishReason(choice.finish_reason),
    rawFinishReason,
    usage: {
      inputTokens: response.usage?.prompt_tokens ?? 0,
      outputTokens: response.usage?.completion_tokens ?? 0,
    },
    model: response.model,
  };
  const logprobs = choice.logprobs?.content;
  if (logprobs) {
    result.logprobs = logprobs.map(({ token, logprob }): TokenLogprob => ({ token, logprob }));
  }
  return result;
}
