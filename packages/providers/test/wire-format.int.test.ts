/**
 * What the adapters put on the wire, seen by a bare HTTP server on 127.0.0.1: the headers and body
 * fields that differ between `openai`, `openai-compatible` and `anthropic`, which the simulator
 * (lenient on purpose) would not reveal.
 */
import { once } from "node:events";
import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createProvider } from "../src/index.ts";

interface Seen {
  url: string;
  headers: IncomingHttpHeaders;
  body: Record<string, unknown>;
}

const chatCompletion = {
  id: "chatcmpl-1",
  object: "chat.completion",
  created: 0,
  model: "gpt-4o-mini",
  choices: [
    { index: 0, finish_reason: "stop", logprobs: null, message: { role: "assistant", content: "Hi" } },
  ],
  usage: { prompt_tokens: 5, completion_tokens: 1, total_tokens: 6 },
};

const anthropicMessage = {
  id: "msg_1",
  type: "message",
  role: "assistant",
  model: "claude-haiku-4-5",
  content: [{ type: "text", text: "Hi" }],
  stop_reason: "end_turn",
  usage: { input_tokens: 5, output_tokens: 1 },
};

const request = { model: "m", messages: [{ role: "user" as const, content: "Hello" }], maxOutputTokens: 32 };

let server: Server;
let baseUrl: string;
let seen: Seen[] = [];

beforeAll(async () => {
  server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    seen.push({
      url: req.url ?? "",
      headers: req.headers,
      body: JSON.parse(Buffer.concat(chunks).toString("utf8")),
    });
    res.setHeader("content-type", "application/json");
    res.end(JSON.stringify(req.url?.startsWith("/v1/messages") ? anthropicMessage : chatCompletion));
  });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.close();
  await once(server, "close");
});
beforeEach(() => {
  seen = [];
});

describe("wire format", () => {
  it("openai: sends the key as a bearer token, max_completion_tokens and the configured headers", async () => {
    const provider = createProvider({
      id: "openai",
      kind: "openai",
      apiKey: "sk-wire-0123456789",
      baseUrl: `${baseUrl}/v1`,
      headers: { "x-team": "router" },
    });
    await provider.complete(request);
    expect(seen).toHaveLength(1);
    expect(seen[0]?.url).toBe("/v1/chat/completions");
    expect(seen[0]?.headers.authorization).toBe("Bearer sk-wire-0123456789");
    expect(seen[0]?.headers["x-team"]).toBe("router");
    expect(seen[0]?.body).toMatchObject({ model: "m", max_completion_tokens: 32 });
    expect(seen[0]?.body).not.toHaveProperty("max_tokens");
  });

  it("openai-compatible without a key: no Authorization header, and max_tokens", async () => {
    const provider = createProvider({ id: "local", kind: "openai-compatible", baseUrl: `${baseUrl}/v1` });
    await provider.complete(request);
    expect(seen[0]?.headers).not.toHaveProperty("authorization");
    expect(seen[0]?.body).toMatchObject({ max_tokens: 32 });
    expect(seen[0]?.body).not.toHaveProperty("max_completion_tokens");
  });

  it("openai-compatible with a key: sends it", async () => {
    const provider = createProvider({
      id: "vllm",
      kind: "openai-compatible",
      apiKey: "local-secret-123",
      baseUrl: `${baseUrl}/v1`,
    });
    await provider.complete(request);
    expect(seen[0]?.headers.authorization).toBe("Bearer local-secret-123");
  });

  it("anthropic: sends the key, max_tokens and system at the top level", async () => {
    const provider = createProvider({
      id: "anthropic",
      kind: "anthropic",
      apiKey: "sk-ant-wire-0123",
      baseUrl,
    });
    await provider.complete({
      ...request,
      messages: [{ role: "system", content: "Be brief." }, ...request.messages],
    });
    expect(seen[0]?.url).toBe("/v1/messages");
    // @anthropic-ai/sdk 1.x sends the key as a bearer token; older versions used `x-api-key`.
    const { authorization, "x-api-key": xApiKey } = seen[0]?.headers ?? {};
    expect(authorization === "Bearer sk-ant-wire-0123" || xApiKey === "sk-ant-wire-0123").toBe(true);
    expect(seen[0]?.body).toMatchObject({ max_tokens: 32, system: "Be brief.", messages: request.messages });
  });

  it("simulated: one root URL serves both protocols", async () => {
    await createProvider({ id: "s1", kind: "simulated", baseUrl }).complete(request);
    await createProvider({
      id: "s2",
      kind: "simulated",
      baseUrl: `${baseUrl}/v1/`,
      protocol: "anthropic",
    }).complete(request);
    expect(seen.map((entry) => entry.url)).toEqual(["/v1/chat/completions", "/v1/messages"]);
  });
});
