import { formatTimeOfDay } from "@llmr/daily-window";
import type { RouterConfig } from "./router-config.ts";

/**
 * One line per provider saying what is in force (real or simulated, and why), for the start-up log.
 * Contains no secrets: only whether a key is set.
 */
export function describeConfig(config: RouterConfig): string[] {
  const lines = [`config: ${config.source}`];
  for (const provider of config.providers.values()) {
    const where = provider.baseUrl ?? "vendor default URL";
    lines.push(
      provider.simulated
        ? `provider ${provider.id}: SIMULATED at ${where} (${provider.simulatedReason ?? "simulated"})`
        : `provider ${provider.id}: ${provider.kind} at ${where} (key ${provider.apiKey ? "set" : "not set"})`,
    );
  }
  for (const tier of config.tiers) {
    const models = tier.deployments.map((d) => `${d.provider.label}/${d.model.modelId}`).join(", ");
    lines.push(`tier ${tier.name}: ${models}`);
  }
  const window = config.batches.window;
  if (window) {
    lines.push(
      `batch window: ${formatTimeOfDay(window.startMinutes)}-${formatTimeOfDay(window.endMinutes)} ${window.timeZone} (batch work starts only then)`,
    );
  }
  return lines;
}
