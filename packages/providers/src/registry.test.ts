import { describe, expect, it } from "vitest";
import { FatalProviderError } from "./errors/fatal-provider-error.ts";
import { createProvider, providerFactories } from "./registry.ts";
import type { ProviderKind, ProviderSettings } from "./types.ts";

// Building a provider constructs an SDK client but sends nothing, so these tests do no I/O.
describe("createProvider", () => {
  it.each<[ProviderSettings, ProviderKind]>([
    [{ id: "openai", kind: "openai", apiKey: "sk-test-0123456789" }, "openai"],
    [{ id: "ollama", kind: "openai-compatible", baseUrl: "http://127.0.0.1:11434/v1" }, "openai-compatible"],
    [{ id: "anthropic", kind: "anthropic", apiKey: "sk-ant-test-0123456789" }, "anthropic"],
    [{ id: "sim", kind: "simulated", baseUrl: "http://127.0.0.1:9" }, "simulated"],
    [
      { id: "sim-a", kind: "simulated", baseUrl: "http://127.0.0.1:9/v1", protocol: "anthropic" },
      "simulated",
    ],
  ])("builds %o reporting kind %s", (settings, kind) => {
    const provider = createProvider(settings);
    expect(provider).toMatchObject({ id: settings.id, kind });
    expect(typeof provider.complete).toBe("function");
  });

  it("has a factory for every kind", () => {
    expect(Object.keys(providerFactories).sort()).toEqual([
      "anthropic",
      "openai",
      "openai-compatible",
      "simulated",
    ]);
  });

  it.each<ProviderSettings>([
    { id: "openai", kind: "openai" },
    { id: "openai", kind: "openai", apiKey: "" },
    { id: "anthropic", kind: "anthropic" },
  ])("refuses a vendor provider without a key (%o)", (settings) => {
    expect(() => createProvider(settings)).toThrow(FatalProviderError);
    expect(() => createProvider(settings)).toThrow(/apiKey is required/);
  });

  it.each<ProviderSettings>([
    { id: "local", kind: "openai-compatible" },
    { id: "sim", kind: "simulated" },
  ])("refuses a local provider without a base URL (%o)", (settings) => {
    expect(() => createProvider(settings)).toThrow(/baseUrl/);
  });

  it("refuses an unknown kind from untyped callers", () => {
    const settings = JSON.parse('{"id":"x","kind":"gemini"}') as ProviderSettings;
    expect(() => createProvider(settings)).toThrow(/unknown kind "gemini"/);
  });
});
