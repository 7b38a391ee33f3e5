import { describe, expect, it } from "vitest";
import { type BannerFacts, renderBanner } from "./banner.ts";

const facts: BannerFacts = {
  apiUrl: "http://localhost:8080",
  workerUrl: "http://localhost:9464",
  apiKey: "llmr_dev_0123456789abcdef0123456789abcdef",
  operatorToken: "op-token",
  credentialsFile: ".data/dev-credentials.json",
  providers: "openai: simulated, anthropic: real",
  redis: "redis-server on 127.0.0.1:6379",
};

describe("renderBanner", () => {
  it("gives ready-to-paste curl commands carrying the dev key, outside the box", () => {
    const lines = renderBanner(facts).split("\n");

    expect(lines).toContain(
      `  curl -s -X POST http://localhost:8080/v1/jobs -H "Authorization: Bearer ${facts.apiKey}" -H "Content-Type: application/json" -d '{"input":"Say hello"}'`,
    );
    expect(lines).toContain(
      `  curl -s http://localhost:8080/v1/jobs/<id> -H "Authorization: Bearer ${facts.apiKey}"`,
    );
  });

  it("shows the dashboard with the operator login, in a box of equal-width lines", () => {
    const text = renderBanner(facts);
    const boxLines = text.split("\n").filter((line) => line.startsWith("│"));

    expect(text).toContain("http://localhost:8080/admin/queues");
    expect(text).toContain("log in with the operator token: op-token");
    expect(new Set(boxLines.map((line) => line.length)).size).toBe(1);
  });

  it("shows the worker's health and metrics URLs, and a scrape carrying the operator token", () => {
    const text = renderBanner(facts);

    expect(text).toContain("http://localhost:9464/healthz, http://localhost:9464/readyz");
    expect(text).toContain("http://localhost:8080/metrics, http://localhost:9464/metrics");
    expect(text.split("\n")).toContain(
      '  curl -s http://localhost:9464/metrics -H "Authorization: Bearer op-token"',
    );
  });

  it("does not invent a key when the keys come from LLMR_API_KEYS", () => {
    const text = renderBanner({ ...facts, apiKey: undefined, operatorToken: undefined });

    expect(text).not.toContain("llmr_dev_");
    expect(text).toContain("Bearer <one of your LLMR_API_KEYS>");
    expect(text).toContain("operator token: your LLMR_OPERATOR_TOKEN");
    expect(text).toContain('/metrics -H "Authorization: Bearer <your LLMR_OPERATOR_TOKEN>"');
  });
});
