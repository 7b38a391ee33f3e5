import type { ResolvedDeployment, RouterConfig } from "@llmr/config";
import type { Provider } from "@llmr/providers";
import { createProvider } from "@llmr/providers";

/** One provider client per configured provider, built once per process and shared by every tier. */
export class ProviderPool {
  readonly #providers = new Map<string, Provider>();

  constructor(config: RouterConfig) {
    for (const provider of config.providers.values()) {
      this.#providers.set(
        provider.id,
        createProvider({
          id: provider.id,
          kind: provider.kind,
          protocol: provider.protocol,
          ...(provider.baseUrl === undefined ? {} : { baseUrl: provider.baseUrl }),
          ...(provider.apiKey === undefined ? {} : { apiKey: provider.apiKey }),
          headers: provider.headers,
        }),
      );
    }
  }

  for(deployment: ResolvedDeployment): Provider {
    const provider = this.#providers.get(deployment.provider.id);
    if (!provider) throw new Error(`no provider "${deployment.provider.id}" for deployment ${deployment.id}`);
    return provider;
  }
}
