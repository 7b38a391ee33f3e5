/**
 * The narrow interface every provider adapter implements. The router only ever talks to a model
 * through `Provider.complete`, so adding a vendor means adding a folder, not touching the router.
 */

/** Provider kinds a config may declare. */
export type ProviderKind = "openai" | "anthropic" | "openai-compatible" | "simulated";

/** The wire protocol an adapter speaks; a `simulated` provider may speak either. */
export type WireProtocol = "openai" | "anthropic";

export interface ChatMessage {
  role: "system" | "user" | "assistant";
  content: string;
}

export type ResponseFormat =
  | { type: "text" }
  | { type: "json_object" }
  | {
      type: "json_schema";
      json_schema: { name: string; schema: Record<string, unknown>; strict?: boolean; description?: string };
    };

export interface CompletionRequest {
  /** The provider's own model id, e.g. `gpt-4o-mini` or `claude-haiku-4-5`. */
  model: string;
  messages: ChatMessage[];
  /** Upper bound on generated tokens; the answer is cut at this length (`finishReason: "length"`). */
  maxOutputTokens: number;
  temperature?: number;
  responseFormat?: ResponseFormat;
  /** Ask for per-token log probabilities where the model offers them (ignored where it does not). */
  logprobs?: boolean;
}

export interface CompletionOptions {
  /** Aborts the HTTP call (the socket is closed); the promise rejects with `ProviderAbortedError`. */
  signal?: AbortSignal;
}

/** Normalised reason the model stopped. `rawFinishReason` keeps the vendor's own word. */
export type FinishReason = "stop" | "length" | "content_filter" | "refusal" | "tool_calls" | "other";

export interface TokenUsage {
  inputTokens: number;
  outputTokens: number;
}

export interface TokenLogprob {
  token: string;
  logprob: number;
}

export interface CompletionResult {
  text: string;
  finishReason: FinishReason;
  rawFinishReason: string;
  usage: TokenUsage;
  /** Per-token log probabilities of the answer, when requested and offered. */
  logprobs?: TokenLogprob[];
  /** The model id the provider says answered (may differ from the one asked, e.g. a dated snapshot). */
  model: string;
  /**
   * Milliseconds from sending the request until the response's status and headers arrived (time to
   * first byte), when the adapter measured it. Without streaming, the headers come once the answer is ready.
   */
  firstByteMs?: number;
}

export interface Provider {
  /** The provider's id in the config (`openai`, `anthropic`, `local-vllm`, ...). */
  readonly id: string;
  readonly kind: ProviderKind;
  complete(request: CompletionRequest, options?: CompletionOptions): Promise<CompletionResult>;
}

/** What the registry needs to build a provider; the config package maps its YAML onto this. */
export interface ProviderSettings {
  id: string;
  kind: ProviderKind;
  /** Base URL of the API; the SDK default when absent. For OpenAI-style servers it includes `/v1`. */
  baseUrl?: string;
  /** The secret itself (already read from the env var the config names). Never logged. */
  apiKey?: string;
  /** For `simulated` providers: which vendor protocol to speak to the simulator. @defaultValue "openai" */
  protocol?: WireProtocol;
  /** Extra headers sent on every call (e.g. an org id). */
  headers?: Record<string, string>;
}
