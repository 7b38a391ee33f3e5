import { FatalProviderError, type FatalReason } from "../errors/fatal-provider-error.ts";
import type { ProviderSettings } from "../types.ts";

/**
 * The error `createProvider` throws for settings it cannot build a provider from (a missing key
 * or base URL). Thrown at start-up rather than on the first call, so a misconfigured deployment
 * fails before it accepts jobs.
 */
export function invalidSettings(
  settings: Pick<ProviderSettings, "id" | "kind">,
  problem: string,
  reason: FatalReason = "other",
): FatalProviderError {
  return new FatalProviderError({
    providerId: settings.id,
    reason,
    message: `${settings.id}: invalid ${settings.kind} provider settings: ${problem}`,
  });
}
