import OpenAI from "openai";
import { classifyProviderError } from "../classify-provider-error.ts";
import { withFirstByte } from "../internal/first-byte.ts";
import { invalidSettings } from "../internal/invalid-settings.ts";
import { sdkClientDefaults } from "../internal/sdk-client-defaults.ts";
import type { Provider, ProviderKind, ProviderSettings } from "../types.ts";
import { type TokenLimitParam, toOpenAIChatRequest } from "./map-request.ts";
import { fromOpenAIChatResponse } from "./map-response.ts";

/** How an OpenAI-protocol provider differs between `openai`, `openai-compatible` and `simulated`. */
export interface OpenAIAdapterOptions {
  /** The kind the provider reports. */
  kind: ProviderKind;
  /** @defaultValue `"max_completion_tokens"` */
  tokenLimitParam?: TokenLimitParam;
  /**
   * Whether calls may go out without an API key (local servers). Without a key no
   * `Authorization` header is sent at all. @defaultValue `false`
   */
  keyOptional?: boolean;
}

/**
 * Placeholder that satisfies the SDK's "credentials required" check when a local server needs no
 * key; the `Authorization` header it would produce is removed via `defaultHeaders`.
 */
const keylessPlaceholder = "no-key";

/**
 * A provider speaking the OpenAI Chat Completions protocol: OpenAI itself, any OpenAI-compatible
 * server, or the simulator. One SDK client per provider, reused for every call.
 *
 * @example
 * ```ts
 * const local = createOpenAIProvider(
 *   { id: "local-vllm", kind: "openai-compatible", baseUrl: "http://127.0.0.1:8000/v1" },
 *   { kind: "openai-compatible", tokenLimitParam: "max_tokens", keyOptional: true },
 * );
 * ```
 */
export function createOpenAIProvider(settings: ProviderSettings, options: OpenAIAdapterOptions): Provider {
  const { kind, tokenLimitParam = "max_completion_tokens", keyOptional = false } = options;
  const apiKey = settings.apiKey === "" ? undefined : settings.apiKey;
  if (apiKey === undefined && !keyOptional)
    throw invalidSettings(settings, "apiKey is required", "authentication");
  const client = new OpenAI({
    ...sdkClientDefaults,
    apiKey: apiKey ?? keylessPlaceholder,
    baseURL: settings.baseUrl,
    // Explicit nulls keep the SDK from picking these up from OPENAI_ORG_ID / OPENAI_PROJECT_ID.
    organization: null,
    project: null,
    defaultHeaders: { ...settings.headers, ...(apiKey === undefined ? { Authorization: null } : {}) },
  });
  const secrets = [apiKey];

  return {
    id: settings.id,
    kind,
    async complete(request, { signal } = {}) {
      const body = toOpenAIChatRequest(request, tokenLimitParam);
      let answer: { data: unknown; firstByteMs: number };
      try {
        answer = await withFirstByte(client.chat.completions.create(body, { signal }));
      } catch (error) {
        throw classifyProviderError(error, settings.id, { signal, secrets });
      }
      return { ...fromOpenAIChatResponse(answer.data, settings.id), firstByteMs: answer.firstByteMs };
    },
  };
}
