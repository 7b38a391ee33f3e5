import { createAnthropicProvider } from "./anthropic/index.ts";
import { invalidSettings } from "./internal/invalid-settings.ts";
import { createOpenAIProvider } from "./openai/index.ts";
import { createSimulatedProvider } from "./simulated/index.ts";
import type { Provider, ProviderKind, ProviderSettings } from "./types.ts";

/** Builds a provider of one kind from its settings. */
export type ProviderFactory = (settings: ProviderSettings) => Provider;

/**
 * One factory per provider kind. Adding a vendor means adding a folder and a line here; the
 * `Record` makes the compiler insist on a factory for every {@link ProviderKind}.
 */
export const providerFactories: Readonly<Record<ProviderKind, ProviderFactory>> = {
  openai: (settings) => createOpenAIProvider(settings, { kind: "openai" }),
  // Local and third-party OpenAI-style servers: key optional, and only `max_tokens` is understood.
  "openai-compatible": (settings) => {
    if (!settings.baseUrl)
      throw invalidSettings(settings, "baseUrl is required (e.g. http://127.0.0.1:11434/v1)");
    return createOpenAIProvider(settings, {
      kind: "openai-compatible",
      tokenLimitParam: "max_tokens",
      keyOptional: true,
    });
  },
  anthropic: (settings) => createAnthropicProvider(settings, { kind: "anthropic" }),
  simulated: createSimulatedProvider,
};

/**
 * Builds the provider a config entry describes. Throws a {@link FatalProviderError} at once for
 * settings no call could succeed with (unknown kind, missing key or base URL).
 *
 * @example
 * ```ts
 * const provider = createProvider({ id: "openai", kind: "openai", apiKey: env.OPENAI_API_KEY });
 * const result = await provider.complete(
 *   { model: "gpt-4o-mini", messages: [{ role: "user", content: "Hi" }], maxOutputTokens: 64 },
 *   { signal: AbortSignal.timeout(30_000) },
 * );
 * ```
 */
export function createProvider(settings: ProviderSettings): Provider {
  // `settings` may come from untyped code; an unknown kind must fail loudly, not as "not a function".
  const factory: ProviderFactory | undefined = Object.hasOwn(providerFactories, settings.kind)
    ? providerFactories[settings.kind]
    : undefined;
  if (!factory) throw invalidSettings(settings, `unknown kind "${String(settings.kind)}"`);
  return factory(settings);
}
