import type { ResolvedDeployment } from "@llmr/config";
import type { CallOutcome } from "./call-provider.ts";
import type { DispatchGates, Selection } from "./select-deployment.ts";

/**
 * Tells the gates how the call went: a call that used more tokens than estimated settles the budget up; a 429 cools the
 * deployment down for as long as the provider asked; other retryable failures count toward its
 * breaker, a success closes it. Fatal errors and cancellations say nothing about the deployment.
 */
export async function recordDispatch(
  gates: DispatchGates,
  deployment: ResolvedDeployment,
  selection: Extract<Selection, { kind: "selected" }>,
  call: CallOutcome,
): Promise<Array<"opened" | "closed" | "half_opened">> {
  const changes: Array<"opened" | "closed" | "half_opened"> = [];
  if (call.ok) {
    if (selection.permitId) {
      // Only ever settle upward: vendors such as OpenAI charge a call's whole requested output
      // budget (`max_tokens`) against the TPM limit, used or not, so handing the unused part back
      // would admit calls the vendor then refuses with a 429.
      const used = call.result.usage.inputTokens + call.result.usage.outputTokens;
      const actualTokens = Math.max(used, selection.estimatedTokens);
      await gates.limiter.settle({ deployment: deployment.id, permitId: selection.permitId, actualTokens });
    }
    const { changed } = await gates.breaker.recordSuccess(deployment.id);
    if (changed) changes.push(changed);
  } else if (call.outcome === "rate_limited") {
    await gates.limiter.coolDown({ deployment: deployment.id, ms: call.retryAfterMs ?? 1_000 });
    if (selection.probe) await gates.breaker.releaseProbe(deployment.id);
  } else if (call.retryable) {
    const { changed } = await gates.breaker.recordFailure(deployment.id);
    if (changed) changes.push(changed);
  } else if (selection.probe) {
    await gates.breaker.releaseProbe(deployment.id);
  }
  return changes;
}
