import type { z } from "zod";
import { RetryableProviderError } from "../errors/retryable-provider-error.ts";

/**
 * Validates a 2xx response body against the fields an adapter reads. The SDKs type bodies but do
 * not check them, and OpenAI-compatible servers (Ollama, vLLM, llama.cpp) drift from the spec, so
 * this is the border where a wrong shape becomes an error naming the path, not a `TypeError` deep
 * in a mapper.
 *
 * A body of the wrong shape is classified `server_error` (retryable): a truncated or garbled body
 * from a proxy or a crashing worker passes on the next attempt, while a server that is wrong for
 * good only costs the router's bounded retries.
 */
export function parseResponseBody<TSchema extends z.ZodType>(
  schema: TSchema,
  body: unknown,
  providerId: string,
): z.infer<TSchema> {
  const parsed = schema.safeParse(body);
  if (parsed.success) return parsed.data;
  const issues = parsed.error.issues
    .map((issue) => `${issue.path.length > 0 ? issue.path.join(".") : "(body)"}: ${issue.message}`)
    .join("; ");
  throw new RetryableProviderError({
    providerId,
    reason: "server_error",
    message: `${providerId}: unexpected response body: ${issues}`,
    cause: parsed.error,
  });
}
