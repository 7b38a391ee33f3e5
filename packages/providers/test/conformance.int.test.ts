import { createProvider } from "../src/index.ts";
import { describeProviderConformance } from "./conformance.ts";

/** Any non-empty key works with the simulator; this one is key-shaped so scrubbing is exercised. */
const testApiKey = "sk-test-conformance-0123456789";

describeProviderConformance(
  "openai",
  (url) => createProvider({ id: "openai", kind: "openai", apiKey: testApiKey, baseUrl: `${url}/v1` }),
  { supportsLogprobs: true, supportsJsonMode: true, model: "gpt-4o-mini", apiKey: testApiKey },
);

describeProviderConformance(
  "openai-compatible",
  // The simulator wants a key like a cloud API; the keyless path is covered by wire-format.int.test.ts.
  (url) =>
    createProvider({ id: "local-llm", kind: "openai-compatible", apiKey: "local-key", baseUrl: `${url}/v1` }),
  { supportsLogprobs: true, supportsJsonMode: true, model: "sim-small" },
);

describeProviderConformance(
  "anthropic",
  (url) => createProvider({ id: "anthropic", kind: "anthropic", apiKey: testApiKey, baseUrl: url }),
  { supportsLogprobs: false, supportsJsonMode: false, model: "claude-haiku-4-5", apiKey: testApiKey },
);

describeProviderConformance(
  "simulated/openai",
  (url) => createProvider({ id: "sim-openai", kind: "simulated", baseUrl: url, protocol: "openai" }),
  { supportsLogprobs: true, supportsJsonMode: true, model: "gpt-4.1-mini" },
);

describeProviderConformance(
  "simulated/anthropic",
  (url) => createProvider({ id: "sim-anthropic", kind: "simulated", baseUrl: url, protocol: "anthropic" }),
  { supportsLogprobs: false, supportsJsonMode: false, model: "claude-haiku-4-5" },
);
