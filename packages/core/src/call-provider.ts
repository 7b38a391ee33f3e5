import type { ResolvedDeployment } from "@llmr/config";
import type { CompletionRequest, CompletionResult, Provider } from "@llmr/providers";
import { FatalProviderError, ProviderAbortedError, RetryableProviderError } from "@llmr/providers";
import type { AttemptOutcome } from "./job-record.ts";

/** How one provider call ended, before it is judged and becomes an attempt in the history. */
export type CallOutcome =
  | { ok: true; result: CompletionResult }
  | {
      ok: false;
      outcome: AttemptOutcome;
      detail: string;
      retryable: boolean;
      retryAfterMs: number | undefined;
    };

/**
 * Calls `provider` under the hard time limit (`hardMs`, enforced by aborting the HTTP call, so the
 * socket closes) and the job's own signal (cancel, worker shutdown), and maps every way it can end
 * onto a `CallOutcome`. Never throws.
 */
export async function callProvider(
  provider: Provider,
  deployment: ResolvedDeployment,
  request: CompletionRequest,
  hardMs: number,
  jobSignal: AbortSignal | undefined,
): Promise<CallOutcome> {
  const hardTimeout = AbortSignal.timeout(hardMs);
  const signal = jobSignal ? AbortSignal.any([hardTimeout, jobSignal]) : hardTimeout;
  try {
    return { ok: true, result: await provider.complete(request, { signal }) };
  } catch (error) {
    if (error instanceof ProviderAbortedError && hardTimeout.aborted) {
      return failure(
        "timeout",
        `no answer from ${deployment.id} within the hard limit of ${hardMs} ms`,
        true,
      );
    }
    if (error instanceof ProviderAbortedError) return failure("cancelled", "the call was cancelled", false);
    if (error instanceof RetryableProviderError) {
      const outcome = error.reason === "rate_limited" ? "rate_limited" : "error";
      return { ok: false, outcome, detail: error.message, retryable: true, retryAfterMs: error.retryAfterMs };
    }
    if (error instanceof FatalProviderError) return failure("error", error.message, false);
    // Not a provider answer at all (a bug, or an error the adapter did not classify): retry, bounded.
    const message = error instanceof Error ? error.message : String(error);
    return failure("error", `unexpected error: ${message}`, true);
  }
}

function failure(outcome: AttemptOutcome, detail: string, retryable: boolean): CallOutcome {
  return { ok: false, outcome, detail, retryable, retryAfterMs: undefined };
}
