import type { RouterConfig } from "@llmr/config";
import type { RunningSimulator } from "@llmr/simulator";
import { simMarker, startSimulator } from "@llmr/simulator";
import { redisFixture } from "@llmr/testing";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { PublicJob } from "../src/job-record.ts";
import { routerTestConfig } from "./router-test-config.ts";
import { startTestRouter } from "./test-router.ts";

const redis = redisFixture();
let simulator: RunningSimulator;
beforeAll(async () => {
  simulator = await startSimulator({ port: 0, latencyScale: 0 });
});
afterAll(async () => {
  await simulator.close();
});

type Edit = NonNullable<Parameters<typeof routerTestConfig>[0]["edit"]>;

function startRouter(edit?: Edit) {
  const config: RouterConfig = routerTestConfig({
    simulatorUrl: simulator.url,
    keyPrefix: redis.uniquePrefix(),
    ...(edit ? { edit } : {}),
  });
  const router = startTestRouter(redis.connect(), config);
  return { run: async (body: unknown) => (await router.submit(body)).finished, close: router.close };
}

let router: ReturnType<typeof startRouter> | undefined;
afterEach(async () => {
  await router?.close();
  router = undefined;
});

const trail = (job: PublicJob) => job.attempts.map((a) => `${a.tier}:${a.outcome}`);

describe("cheap-first escalation", () => {
  it("escalates fast → standard → capable while the answers come back with low confidence", async () => {
    router = startRouter();
    // Difficulty 0.8: the fast and standard models hedge, the capable one answers confidently.
    const job = await router.run({
      input: `${simMarker({ difficulty: 0.8 })} Which of these two plans is better?`,
    });
    expect(trail(job)).toEqual(["fast:low_confidence", "standard:low_confidence", "capable:succeeded"]);
    expect(job.status).toBe("succeeded");
    expect(job.tier).toBe("capable");
    expect(job.result?.tier).toBe("capable");
    expect(job.routing.initial_tier).toBe("fast");
    expect(job.routing.escalations.map((e) => `${e.from_tier}→${e.to_tier}`)).toEqual([
      "fast→standard",
      "standard→capable",
    ]);
    for (const attempt of job.attempts.slice(0, 2)) {
      expect(attempt.confidence).toBeLessThan(0.5);
      expect(attempt.output_text?.length).toBeGreaterThan(0);
      expect(attempt.detail).toMatch(/confidence .* < 0\.5/);
    }
    expect(job.attempts[2]?.confidence).toBeGreaterThanOrEqual(0.5);
    // Every attempt's cost counts.
    const total = job.attempts.reduce((sum, a) => sum + a.cost_usd, 0);
    expect(job.cost_usd).toBeCloseTo(total, 10);
  });

  it("keeps an easy job on the fast tier", async () => {
    router = startRouter();
    const job = await router.run({ input: `${simMarker({ difficulty: "easy" })} What is 2 + 2?` });
    expect(trail(job)).toEqual(["fast:succeeded"]);
  });

  it("jumps straight to the capable tier when an answer fails a quality check", async () => {
    router = startRouter();
    const job = await router.run({
      input: `${simMarker({ fault: "truncate", times: 1 })} Tell me about tides.`,
    });
    expect(trail(job)).toEqual(["fast:quality_failed", "capable:succeeded"]);
    const failed = job.attempts[0];
    expect(failed?.checks.find((check) => check.name === "truncated")).toMatchObject({ passed: false });
    expect(failed?.detail).toContain("truncated");
    expect(job.routing.escalations).toHaveLength(1);
  });

  it("never escalates above max_tier", async () => {
    router = startRouter();
    const job = await router.run({
      input: `${simMarker({ difficulty: 0.8 })} Which one should I pick?`,
      max_tier: "standard",
    });
    expect(trail(job)).toEqual(["fast:low_confidence", "standard:succeeded"]);
    expect(job.attempts[1]?.detail).toMatch(/accepted: no tier above "standard" is allowed/);
  });

  it("stops escalating after max_escalations", async () => {
    router = startRouter((doc) => {
      const tasks = doc.tasks as Record<string, { escalation: Record<string, unknown> }>;
      if (tasks.chat) tasks.chat.escalation = { min_confidence: 0.5, max_escalations: 1 };
    });
    const job = await router.run({ input: `${simMarker({ difficulty: 0.8 })} Which one should I pick?` });
    expect(trail(job)).toEqual(["fast:low_confidence", "standard:succeeded"]);
    expect(job.attempts[1]?.detail).toContain("no escalations left");
  });

  it("fails with quality_check_failed when the top tier's answer fails too, keeping every answer", async () => {
    router = startRouter();
    const job = await router.run({ input: `${simMarker({ fault: "truncate" })} Tell me about tides.` });
    expect(job.status).toBe("failed");
    expect(trail(job)).toEqual(["fast:quality_failed", "capable:quality_failed"]);
    expect(job.error?.type).toBe("quality_check_failed");
    expect(job.error?.message).toContain("truncated");
    for (const attempt of job.attempts) expect(attempt.output_text?.length).toBeGreaterThan(0);
    expect(job.result).toBeNull();
  });

  it("runs a team's custom check from its module, and escalates on its failure", async () => {
    const module = new URL("./fixtures/no-zebras.mjs", import.meta.url).pathname;
    router = startRouter((doc) => {
      const tasks = doc.tasks as Record<string, Record<string, unknown>>;
      tasks.chat = {
        ...tasks.chat,
        checks: ["empty", "no-zebras"],
        custom_checks: [{ name: "no-zebras", module }],
      };
    });
    const ok = await router.run({ input: "Tell me about lions." });
    expect(ok.status).toBe("succeeded");
    expect(ok.attempts[0]?.checks).toEqual([
      { name: "empty", passed: true, reason: expect.any(String) },
      { name: "no-zebras", passed: true, reason: "ok" },
    ]);
    const bad = await router.run({ input: "Tell me about zebras." });
    expect(trail(bad)).toEqual(["fast:quality_failed", "capable:quality_failed"]);
    expect(bad.error).toMatchObject({ type: "quality_check_failed" });
    expect(bad.error?.message).toContain("the answer mentions zebras");
  });

  it("uses the model's self-reported confidence for structured tasks, and hides the field it added", async () => {
    router = startRouter();
    const schema = {
      type: "object",
      properties: { label: { type: "string", enum: ["bug", "feature", "question"] } },
      required: ["label"],
      additionalProperties: false,
    };
    const job = await router.run({
      task: "classify",
      input: "The export button crashes the app.",
      response_format: { type: "json_schema", json_schema: { name: "ticket", schema } },
    });
    expect(job.status).toBe("succeeded");
    expect(job.attempts[0]?.confidence_signal).toBe("self_reported");
    expect(job.result?.confidence_signal).toBe("self_reported");
    expect(job.result?.output_json).toEqual({ label: expect.stringMatching(/^(bug|feature|question)$/) });
    expect(job.attempts[0]?.checks.find((check) => check.name === "json_schema")?.passed).toBe(true);
  });

  it("falls back to the next tier up when every try on a tier failed with retryable errors", async () => {
    router = startRouter();
    const job = await router.run({
      input: `${simMarker({ fault: "503", times: 3, retry_after: 0 })} Tell me a joke.`,
    });
    expect(trail(job)).toEqual(["fast:error", "fast:error", "fast:error", "standard:succeeded"]);
    expect(job.routing.escalations[0]?.reason).toMatch(/^all 3 tries on "fast" failed/);
  });

  it("fails deadline_exceeded when the job's overall deadline passes, the call cut off at it", async () => {
    router = startRouter((doc) => {
      doc.jobs = { deadline_s: { interactive: 1 }, fallback_to_next_tier: false };
    });
    const started = Date.now();
    const job = await router.run({ input: `${simMarker({ fault: "hang" })} Say hi` });
    expect(job.status).toBe("failed");
    expect(job.error?.type).toBe("deadline_exceeded");
    expect(job.attempts[0]?.outcome).toBe("timeout");
    expect(Date.now() - started).toBeLessThan(10_000);
  });
});
