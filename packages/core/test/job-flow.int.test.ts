import type { RouterConfig } from "@llmr/config";
import type { RunningSimulator } from "@llmr/simulator";
import { simMarker, startSimulator } from "@llmr/simulator";
import { redisFixture } from "@llmr/testing";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { JobEvents } from "../src/job-events.ts";
import { RedisKeys } from "../src/redis-keys.ts";
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

/** A router over its own Redis prefix: queues, store and running workers, and a way to await a job. */
/** The router on its own key prefix; its jobs' events go to `events` (read back with `history`). */
function startRouter(edit?: Parameters<typeof routerTestConfig>[0]["edit"], env?: Record<string, string>) {
  const config: RouterConfig = routerTestConfig({
    simulatorUrl: simulator.url,
    keyPrefix: redis.uniquePrefix(),
    ...(edit ? { edit } : {}),
    ...(env ? { env } : {}),
  });
  const connection = redis.connect();
  const events = new JobEvents(connection, new RedisKeys(config.redis.keyPrefix), { retentionSeconds: 60 });
  return {
    ...startTestRouter(connection, config, { deps: { events } }),
    history: (id: string) => events.history(id),
  };
}

let router: ReturnType<typeof startRouter> | undefined;
afterEach(async () => {
  await router?.close();
  router = undefined;
});

describe("a job through the tier queue and worker", () => {
  it("is answered by the task's default tier through the real SDK, with usage and cost recorded", async () => {
    router = startRouter();
    const { queued, finished } = await router.submit({ input: "What is the capital of France?" });
    expect(queued).toMatchObject({ status: "queued", tier: "fast", class: "interactive", task: "chat" });

    const job = await finished;
    expect(job.status).toBe("succeeded");
    expect(job.result).toMatchObject({
      provider: "simulated-openai",
      model: "gpt-5.4-nano",
      tier: "fast",
      finish_reason: "stop",
    });
    expect(job.result?.output_text.length).toBeGreaterThan(0);
    // The default models are reasoning models without logprobs: the confidence comes from the text.
    expect(job.result?.confidence_signal).toBe("heuristic");
    expect(job.result?.confidence).toBeGreaterThanOrEqual(0.5);
    expect(job.attempts).toHaveLength(1);
    const [attempt] = job.attempts;
    expect(attempt).toMatchObject({ n: 1, tier: "fast", provider: "simulated-openai", outcome: "succeeded" });
    expect(attempt?.usage.input_tokens).toBeGreaterThan(0);
    expect(attempt?.usage.output_tokens).toBeGreaterThan(0);
    // gpt-5.4-nano: $0.20 in / $1.25 out per 1M tokens
    const expected =
      ((attempt?.usage.input_tokens ?? 0) * 0.2 + (attempt?.usage.output_tokens ?? 0) * 1.25) / 1e6;
    expect(attempt?.cost_usd).toBeCloseTo(expected, 12);
    expect(job.cost_usd).toBe(attempt?.cost_usd);

    const stored = await router.store.get(job.id);
    expect(stored?.record.job).toEqual(job);
  });

  it("falls back to the tier's next deployment after a retryable error, keeping both attempts", async () => {
    router = startRouter();
    const marker = simMarker({ fault: "500", times: 1 });
    const { finished } = await router.submit({ input: `${marker} Tell me a fact about owls.` });
    const job = await finished;
    expect(job.status).toBe("succeeded");
    expect(job.attempts.map((a) => [a.outcome, a.model])).toEqual([
      ["error", "gpt-5.4-nano"],
      ["succeeded", "claude-haiku-4-5"],
    ]);
    expect(job.result?.provider).toBe("simulated-anthropic");
  });

  it("ends at once on a fatal provider error, with the provider's reason and no retry", async () => {
    router = startRouter();
    const { finished } = await router.submit({ input: `${simMarker({ fault: "400" })} hello` });
    const job = await finished;
    expect(job.status).toBe("failed");
    expect(job.attempts).toHaveLength(1);
    expect(job.error?.type).toBe("provider_error");
    expect(job.error?.message.length).toBeGreaterThan(0);
  });

  it("fails after max_attempts retryable errors, each one in the history", async () => {
    router = startRouter((doc) => {
      doc.jobs = { fallback_to_next_tier: false };
    });
    const { finished } = await router.submit({
      input: `${simMarker({ fault: "503", retry_after: 0 })} hello`,
    });
    const job = await finished;
    expect(job.status).toBe("failed");
    expect(job.error?.type).toBe("attempts_exhausted");
    expect(job.attempts.map((a) => a.outcome)).toEqual(["error", "error", "error"]);
    expect(job.attempts.map((a) => a.n)).toEqual([1, 2, 3]);
  });

  it("aborts a hung call at the hard time limit and records a timeout", async () => {
    router = startRouter((doc) => {
      doc.jobs = { max_attempts: 1, fallback_to_next_tier: false };
      for (const tier of doc.tiers) tier.time_limits = { interactive: { soft_ms: 100, hard_ms: 300 } };
    });
    const before = simulator.stats().aborted_by_client;
    const { finished } = await router.submit({ input: `${simMarker({ fault: "hang" })} hello` });
    const job = await finished;
    expect(job.status).toBe("failed");
    expect(job.attempts[0]?.outcome).toBe("timeout");
    expect(job.attempts[0]?.detail).toContain("300 ms");
    expect(router.events.some((event) => event.type === "slow" && event.jobId === job.id)).toBe(true);
    await expect.poll(() => simulator.stats().aborted_by_client).toBeGreaterThan(before);
  });

  it("runs batch jobs on the tier's batch queue", async () => {
    router = startRouter();
    const { queued, finished } = await router.submit({
      class: "batch",
      task: "summarize",
      input: "Summarize: the sky is blue. Grass is green.",
    });
    expect(queued.class).toBe("batch");
    const job = await finished;
    expect(job.status).toBe("succeeded");
    expect(job.class).toBe("batch");
  });

  it("sends a vendor provider's jobs to whatever compatible server its base_url names, through the real SDK", async () => {
    // Keys set: the vendors are real (not simulated); their base URLs point at a compatible server.
    router = startRouter(undefined, {
      OPENAI_API_KEY: "sk-test-not-a-real-key-000000",
      OPENAI_BASE_URL: `${simulator.url}/v1`,
      ANTHROPIC_API_KEY: "sk-ant-test-not-a-real-key-000",
      ANTHROPIC_BASE_URL: simulator.url,
    });
    expect(router.config.providers.get("openai")).toMatchObject({
      kind: "openai",
      simulated: false,
      label: "openai",
    });
    const before = simulator.stats().requests_total;
    const openai = await (await router.submit({ input: "Say hi" })).finished;
    expect(openai.result).toMatchObject({ provider: "openai", model: "gpt-5.4-nano" });
    const anthropic = await (
      await router.submit({ input: `${simMarker({ fault: "500", times: 1 })} Say hi` })
    ).finished;
    expect(anthropic.result).toMatchObject({ provider: "anthropic", model: "claude-haiku-4-5" });
    expect(simulator.stats().requests_total - before).toBe(3);
  });

  it("runs an openai-compatible provider (Ollama, vLLM, ...) declared in the config", async () => {
    router = startRouter(
      (doc) => {
        doc.providers = {
          ...(doc.providers as object),
          local: { kind: "openai-compatible", base_url: `${simulator.url}/v1`, api_key_env: "VLLM_API_KEY" },
        };
        doc.models = {
          ...(doc.models as object),
          "local-small": {
            provider: "local",
            model_id: "sim-small",
            price_per_mtok_usd: { input: 0, output: 0 },
            context_window: 8192,
            capabilities: { logprobs: true },
          },
        };
        const fast = doc.tiers[0] as { deployments: unknown[] };
        fast.deployments = [{ model: "local-small" }];
      },
      { VLLM_API_KEY: "vllm-key" },
    );
    const job = await (await router.submit({ input: "Say hi" })).finished;
    expect(job.error).toBeNull();
    expect(job.status).toBe("succeeded");
    expect(job.result).toMatchObject({ provider: "local", model: "sim-small" });
    expect(job.cost_usd).toBe(0);
    // This model offers logprobs, so the answer's confidence comes from them.
    expect(job.result?.confidence_signal).toBe("logprobs");
    expect(job.result?.confidence).toBeGreaterThan(0);
    expect(job.result?.confidence).toBeLessThanOrEqual(1);
  });

  it("hedges at the soft limit: the second deployment's answer wins and the slow call is aborted", async () => {
    router = startRouter((doc) => {
      const fast = doc.tiers[0] as Record<string, unknown>;
      fast.hedge = true;
      fast.time_limits = { interactive: { soft_ms: 200, hard_ms: 10_000 } };
    });
    const abortedBefore = simulator.stats().aborted_by_client;
    const started = Date.now();
    const { finished } = await router.submit({ input: `${simMarker({ fault: "hang", times: 1 })} Say hi` });
    const job = await finished;
    expect(job.status).toBe("succeeded");
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(job.attempts.map((a) => `${a.model}:${a.outcome}`)).toEqual([
      "gpt-5.4-nano:cancelled",
      "claude-haiku-4-5:succeeded",
    ]);
    expect(job.attempts[0]?.detail).toBe(
      "hedged: fast/claude-haiku-4-5 answered first, this call was aborted",
    );
    expect(job.result?.model).toBe("claude-haiku-4-5");
    await expect.poll(() => simulator.stats().aborted_by_client).toBeGreaterThan(abortedBefore);
    // Both calls reach the job's event stream as attempts, in number order (the aborted one too).
    const attempts = (await router.history(job.id)).filter((event) => event.type === "attempt");
    expect(attempts.map((event) => (event.data as { n: number; outcome: string }).outcome)).toEqual([
      "cancelled",
      "succeeded",
    ]);
  });
});
