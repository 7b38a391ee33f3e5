import { mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { findFreePort, redisFixture, runScript, startAppProcess, waitUntilReady } from "@llmr/testing";
import { describe, expect, it } from "vitest";
import { writeRouterConfig } from "../../../test/e2e/router-config-file.ts";

const redis = redisFixture();

/** `pnpm demo:batch <args>` as the root script runs it, with only the env given (no vendor keys). */
const runDemo = (args: readonly string[], env: Record<string, string>) =>
  runScript("apps/demo/src/main.ts", args, env);

describe("pnpm demo:batch without vendor keys (the simulator answers)", () => {
  it("starts Redis, simulator, API and worker, summarizes 5 abstracts and 1 meeting through the CLI and writes a consistent report", async () => {
    const out = mkdtempSync(join(tmpdir(), "llmr-demo-e2e-"));
    const run = await runDemo(
      ["--docs", "all", "--limit", "scitldr=5,qmsum=1", "--latency-scale", "0", "--out", out],
      { ...redis.env, LLMR_DEMO_KEY_PREFIX: redis.prefix, LLMR_POLL_INTERVAL_MS: "200" },
    );
    expect(run.code, run.stderr).toBe(0);
    // It went through the CLI: its own progress summary and results file.
    expect(run.stderr).toMatch(/submitted 6 items as batch_/);
    expect(run.stderr).toMatch(/batch batch_\S+ completed: \d+ succeeded, \d+ failed of 6/);
    expect(readdirSync(out)).toEqual(
      expect.arrayContaining([
        "items.results.jsonl",
        "report.json",
        "report.md",
        "summaries.jsonl",
        "summaries",
      ]),
    );

    const report = JSON.parse(readFileSync(join(out, "report.json"), "utf8"));
    expect(report.documents).toEqual({ scitldr: 5, qmsum: 1 });
    expect(report.simulated).toBe(true);
    expect(report.items).toBe(6);
    expect(report.succeeded + report.failed).toBe(report.items);
    expect(report.failures).toHaveLength(report.failed);
    expect(report.batch.counts.total).toBe(6);
    expect(report.batch.counts.succeeded).toBe(report.succeeded);
    expect(report.costUsd).toBeGreaterThan(0);
    expect(report.costUsd).toBeCloseTo(report.batch.cost_usd, 8);
    expect(report.capableEstimate.tier).toBe("capable");
    expect(report.capableEstimate.costUsd).toBeGreaterThanOrEqual(report.costUsd);
    expect(report.wallTimeMs).toBeGreaterThan(0);
    expect(report.attempts).toBeGreaterThanOrEqual(report.items);
    for (const escalation of report.escalations) expect(escalation.tiers.length).toBeGreaterThan(1);
    expect(Object.keys(report.attemptsByProvider).every((name) => name.startsWith("simulated-"))).toBe(true);

    const summaries = readFileSync(join(out, "summaries.jsonl"), "utf8").trim().split("\n");
    expect(summaries).toHaveLength(6);
    const files = readdirSync(join(out, "summaries"));
    expect(files).toHaveLength(report.items);
    expect(report.summaryFiles).toBe(report.items);
    const first = JSON.parse(summaries[0] ?? "{}");
    expect(first.id).toMatch(/^scitldr-/);
    expect(first.references.length).toBeGreaterThan(0);
    expect(JSON.parse(summaries[5] ?? "{}").id).toMatch(/^qmsum-/);

    const markdown = readFileSync(join(out, "report.md"), "utf8");
    expect(markdown).toContain("simulated text");
    expect(markdown).toContain("An estimate, not a measurement");
    expect(run.stdout).toBe(markdown);
  });

  it("uses a running system when LLMR_API_URL and LLMR_API_KEY are set, starting nothing", async () => {
    const [simPort, apiPort] = [await findFreePort(), await findFreePort()];
    const apiKey = "llmr_e2e_demo_0123456789abcdef0123456789ab";
    const simulator = startAppProcess("simulator", {
      SIMULATOR_PORT: String(simPort),
      SIMULATOR_LATENCY_SCALE: "0",
    });
    const env = {
      ...redis.env,
      ROUTER_CONFIG: writeRouterConfig(redis.uniquePrefix()),
      SIMULATOR_URL: `http://127.0.0.1:${simPort}`,
    };
    const worker = startAppProcess("worker", env);
    const api = startAppProcess("api", { ...env, PORT: String(apiPort), LLMR_API_KEYS: `demo:${apiKey}` });
    try {
      await waitUntilReady(simulator, `${env.SIMULATOR_URL}/healthz`);
      await waitUntilReady(api, `http://127.0.0.1:${apiPort}/readyz`);
      const out = mkdtempSync(join(tmpdir(), "llmr-demo-e2e-"));
      const run = await runDemo(["--docs", "scitldr", "--limit", "2", "--out", out], {
        LLMR_API_URL: `http://127.0.0.1:${apiPort}`,
        LLMR_API_KEY: apiKey,
        LLMR_POLL_INTERVAL_MS: "200",
      });
      expect(run.code, run.stderr).toBe(0);
      expect(run.stderr).toContain(
        `system: the running system at http://127.0.0.1:${apiPort} (LLMR_API_URL)`,
      );
      expect(run.stderr).not.toContain("[@llmr/testing] Redis");
      expect(run.stderr + run.stdout).not.toContain(apiKey);
      const report = JSON.parse(readFileSync(join(out, "report.json"), "utf8"));
      expect(report).toMatchObject({ items: 2, documents: { scitldr: 2 }, simulated: true });
      // Not started by the demo, yet known to be simulated: the calls say who answered.
      expect(Object.keys(report.attemptsByProvider)).toEqual(["simulated-openai"]);
    } finally {
      await Promise.all([api.stop(), worker.stop(), simulator.stop()]);
    }
  });

  it("refuses an unknown --docs with exit 2 and the usage", async () => {
    const run = await runDemo(["--docs", "novels"], {});
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("--docs novels: use scitldr, qmsum or all");
    expect(run.stderr).toContain("pnpm demo:batch");
  });
});
