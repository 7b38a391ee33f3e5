import { readFileSync } from "node:fs";
import { DEFAULT_CONFIG_PATH, loadConfig, validateConfig } from "@llmr/config";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { RequestValidationError } from "./errors/request-validation-error.ts";
import { JobRequestSchema } from "./job-request.ts";
import { normalizeRequest } from "./normalize-request.ts";
import { requestIssuesFromZod } from "./request-issues.ts";

const config = loadConfig(undefined, { env: {} });

function issuesFor(body: unknown) {
  const parsed = JobRequestSchema.safeParse(body);
  if (parsed.success) {
    try {
      normalizeRequest(parsed.data, config, "tenant-a");
      return [];
    } catch (error) {
      if (error instanceof RequestValidationError) return error.issues;
      throw error;
    }
  }
  return requestIssuesFromZod(parsed.error);
}

describe("job request validation", () => {
  it("turns input into one user message and applies the task's defaults", () => {
    const routed = normalizeRequest(JobRequestSchema.parse({ input: "hi" }), config, "tenant-a");
    expect(routed.request.messages).toEqual([{ role: "user", content: "hi" }]);
    expect(routed).toMatchObject({
      class: "interactive",
      task: "chat",
      reason: 'task "chat" starts at its default tier "fast"',
    });
    expect(routed.initialTier.name).toBe("fast");
    expect(routed.maxTier.name).toBe("capable");
    expect(routed.request.max_output_tokens).toBe(1024);
  });

  it("names the field at fault, the way a user writes its path", () => {
    expect(issuesFor({ messages: [{ role: "user", content: "" }] })).toEqual([
      { param: "messages[0].content", message: "must not be empty" },
    ]);
    expect(issuesFor({ messages: [{ role: "robot", content: "x" }] })[0]?.param).toBe("messages[0].role");
    expect(issuesFor({})).toEqual([
      { param: "messages", message: "required: give either messages or input" },
    ]);
    expect(issuesFor({ input: "x", max_tokens: 5 })).toEqual([
      { param: "max_tokens", message: "unknown field" },
    ]);
    expect(issuesFor({ input: "x", temperature: 3 })[0]?.param).toBe("temperature");
    expect(issuesFor({ input: "x", response_format: { type: "json_schema" } })).toEqual([
      { param: "response_format.json_schema", message: "required" },
    ]);
    expect(issuesFor({ input: "x", webhook: { url: "ftp://x" } })[0]?.param).toBe("webhook.url");
  });

  it("checks task and tiers against the config", () => {
    expect(issuesFor({ input: "x", task: "poetry" })).toEqual([
      { param: "task", message: 'unknown task "poetry"; known: chat, summarize, classify, extract' },
    ]);
    expect(issuesFor({ input: "x", tier: "turbo" })[0]?.param).toBe("tier");
    expect(issuesFor({ input: "x", tier: "capable", max_tier: "fast" })).toEqual([
      { param: "tier", message: 'tier "capable" is above the job\'s max_tier "fast" (the request)' },
    ]);
  });

  it("refuses an input that would need more map-reduce parts than the task allows, naming the field", () => {
    const doc = parse(readFileSync(DEFAULT_CONFIG_PATH, "utf8"));
    doc.tasks.summarize.map_reduce = { chunk_tokens: 200, overlap_tokens: 0, max_parts: 2 };
    const small = validateConfig(doc, "test", { env: {} });
    const long = "A sentence about the quarterly numbers. ".repeat(100);
    const refuse = (body: unknown) => () => normalizeRequest(JobRequestSchema.parse(body), small, "tenant-a");
    expect(refuse({ task: "summarize", input: long })).toThrow(/would need more than 2 parts of 200 tokens/);
    try {
      refuse({ task: "summarize", messages: [{ role: "user", content: long }] })();
    } catch (error) {
      expect((error as RequestValidationError).issues[0]?.param).toBe("messages");
    }
    expect(
      refuse({ task: "summarize", input: "A sentence about the quarterly numbers. ".repeat(8) }),
    ).not.toThrow();
  });

  it("routes by rule, saying which rule and why", () => {
    const routed = normalizeRequest(
      JobRequestSchema.parse({ input: "Please analyze these logs" }),
      config,
      "tenant-a",
    );
    expect(routed.initialTier.name).toBe("standard");
    expect(routed.reason).toMatch(/^rule "reasoning-request": /);
    expect(routed.route.input_tokens).toBeGreaterThan(0);
  });

  it("honours a pinned tier and caps a task's default tier by max_tier, saying why", () => {
    const pinned = normalizeRequest(
      JobRequestSchema.parse({ input: "x", tier: "standard" }),
      config,
      "tenant-a",
    );
    expect(pinned.initialTier.name).toBe("standard");
    expect(pinned.reason).toBe('tier "standard" pinned by the request');
    const capped = normalizeRequest(
      JobRequestSchema.parse({ input: "x", task: "extract", max_tier: "fast" }),
      config,
      "tenant-a",
    );
    expect(capped.initialTier.name).toBe("fast");
    expect(capped.reason).toBe(
      'task "extract" starts at its default tier "standard"; capped by max_tier "fast" (the request)',
    );
  });
});
