import { createAnthropicProvider } from "../anthropic/index.ts";
import { invalidSettings } from "../internal/invalid-settings.ts";
import { createOpenAIProvider } from "../openai/index.ts";
import type { Provider, ProviderSettings } from "../types.ts";

/** The simulator accepts any non-empty key; this one is sent when the config gives none. */
const simulatorApiKey = "sim-key";

/**
 * A provider served by the `@llmr/simulator`: it speaks `settings.protocol` (OpenAI by default)
 * through the real adapter for that protocol and reports `kind: "simulated"`, so the router runs
 * the same code path it runs against real vendors.
 *
 * `baseUrl` is the simulator's root URL (`http://127.0.0.1:PORT`); the `/v1` each protocol needs
 * is added (or dropped) here, so one URL serves both protocols.
 *
 * @example
 * ```ts
 * const sim = createSimulatedProvider({ id: "sim", kind: "simulated", baseUrl: simulator.url, protocol: "anthropic" });
 * ```
 */
export function createSimulatedProvider(settings: ProviderSettings): Provider {
  if (!settings.baseUrl) throw invalidSettings(settings, "baseUrl (the simulator's URL) is required");
  const root = settings.baseUrl.replace(/\/+$/, "").replace(/\/v1$/, "");
  const apiKey = settings.apiKey || simulatorApiKey;
  const protocol = settings.protocol ?? "openai";
  switch (protocol) {
    case "openai":
      return createOpenAIProvider({ ...settings, apiKey, baseUrl: `${root}/v1` }, { kind: "simulated" });
    case "anthropic":
      return createAnthropicProvider({ ...settings, apiKey, baseUrl: root }, { kind: "simulated" });
  }
}
