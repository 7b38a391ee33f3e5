/**
 * Real SDK clients pointed at a simulator, as every integration test here uses them: no retries
 * (so each test sees exactly one request per call unless it asks otherwise) and throwaway keys.
 */
import Anthropic from "@anthropic-ai/sdk";
import OpenAI from "openai";
import type { RunningSimulator } from "../src/index.ts";

export interface SdkClients {
  openai: OpenAI;
  anthropic: Anthropic;
}

export function sdkClients(
  sim: RunningSimulator,
  options: { maxRetries?: number; apiKey?: string } = {},
): SdkClients {
  const maxRetries = options.maxRetries ?? 0;
  return {
    openai: new OpenAI({ baseURL: `${sim.url}/v1`, apiKey: options.apiKey ?? "sk-test", maxRetries }),
    anthropic: new Anthropic({ baseURL: sim.url, apiKey: options.apiKey ?? "sk-ant-test", maxRetries }),
  };
}

/** Raw HTTP for what the SDKs refuse to send (no key, broken JSON, missing required fields). */
export async function postJson(
  sim: RunningSimulator,
  path: string,
  body: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; headers: Headers; json: unknown }> {
  const response = await fetch(`${sim.url}${path}`, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body,
  });
  return { status: response.status, headers: response.headers, json: await response.json() };
}

/** The rejection of `promise`, failing the test when it resolves. */
export async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error("expected the call to fail, but it succeeded");
}
