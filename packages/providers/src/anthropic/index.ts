import Anthropic from "@anthropic-ai/sdk";
import { classifyProviderError } from "../classify-provider-error.ts";
import { withFirstByte } from "../internal/first-byte.ts";
import { invalidSettings } from "../internal/invalid-settings.ts";
import { sdkClientDefaults } from "../internal/sdk-client-defaults.ts";
import type { Provider, ProviderKind, ProviderSettings } from "../types.ts";
import { toAnthropicMessagesRequest } from "./map-request.ts";
import { fromAnthropicMessage } from "./map-response.ts";

/** How an Anthropic-protocol provider differs between `anthropic` and `simulated`. */
export interface AnthropicAdapterOptions {
  /** The kind the provider reports. @defaultValue `"anthropic"` */
  kind?: ProviderKind;
}

/**
 * A provider speaking the Anthropic Messages protocol (Anthropic itself, or the simulator).
 * One SDK client per provider, reused for every call. `baseUrl` is the API root, without `/v1`.
 *
 * @example
 * ```ts
 * const anthropic = createAnthropicProvider({ id: "anthropic", kind: "anthropic", apiKey });
 * const result = await anthropic.complete({ model: "claude-haiku-4-5", messages, maxOutputTokens: 256 });
 * ```
 */
export function createAnthropicProvider(
  settings: ProviderSettings,
  options: AnthropicAdapterOptions = {},
): Provider {
  const { kind = "anthropic" } = options;
  const apiKey = settings.apiKey === "" ? undefined : settings.apiKey;
  if (apiKey === undefined) throw invalidSettings(settings, "apiKey is required", "authentication");
  const client = new Anthropic({
    ...sdkClientDefaults,
    apiKey,
    baseURL: settings.baseUrl,
    defaultHeaders: settings.headers,
  });
  const secrets = [apiKey];

  return {
    id: settings.id,
    kind,
    async complete(request, { signal } = {}) {
      const body = toAnthropicMessagesRequest(request);
      let answer: { data: unknown; firstByteMs: number };
      try {
        answer = await withFirstByte(client.messages.create(body, { signal }));
      } catch (error) {
        throw classifyProviderError(error, settings.id, { signal, secrets });
      }
      return { ...fromAnthropicMessage(answer.data, request, settings.id), firstByteMs: answer.firstByteMs };
    },
  };
}
