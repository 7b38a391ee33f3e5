import { randomBytes, randomUUID } from "node:crypto";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { RouterConfig } from "@llmr/config";
import { DEFAULT_CONFIG_PATH, loadConfig, validateConfig } from "@llmr/config";
import type { AppProcess } from "@llmr/testing";
import { findFreePort, startAppProcess, startRedis, waitUntilReady } from "@llmr/testing";
import { parse } from "yaml";

/** The system the batch runs on: started here, or one already running. */
export interface DemoSystem {
  apiUrl: string;
  apiKey: string;
  /** The config the prices are read from (the started system's own, or ROUTER_CONFIG / the default). */
  config: RouterConfig;
  /** In words, for the output and the report: who answers, and whether this demo started it. */
  description: string;
  /** True when the demo started its own system and every vendor is the simulator. */
  simulated: boolean;
  stop(): Promise<void>;
}

/** Vendor keys and base URLs the started API and worker need to call the real vendors. */
const VENDOR_ENV = ["OPENAI_API_KEY", "ANTHROPIC_API_KEY", "OPENAI_BASE_URL", "ANTHROPIC_BASE_URL"];
/** A limit a demo run never reaches: the simulator has no account limits to respect. */
const UNBINDING_PER_MINUTE = 1_000_000_000;

/**
 * `LLMR_API_URL` + `LLMR_API_KEY` when both are set; otherwise Redis (REDIS_URL or a redis-server
 * child, as `pnpm bench` gets it), the simulator when a vendor key is missing, the API and the
 * worker as child processes on the demo's own Redis key prefix.
 */
export async function startDemoSystem(
  env: NodeJS.ProcessEnv,
  latencyScale: number,
  say: (line: string) => void,
): Promise<DemoSystem> {
  if (env.LLMR_API_URL && env.LLMR_API_KEY) {
    return {
      apiUrl: env.LLMR_API_URL.replace(/\/+$/, ""),
      apiKey: env.LLMR_API_KEY,
      config: loadConfig(env.ROUTER_CONFIG),
      description: `the running system at ${env.LLMR_API_URL} (LLMR_API_URL); prices from ${env.ROUTER_CONFIG || "the default config"}`,
      simulated: false,
      stop: async () => {},
    };
  }
  const vendorEnv: Record<string, string> = {};
  for (const name of VENDOR_ENV) {
    const value = env[name];
    if (value) vendorEnv[name] = value;
  }
  const missing = ["OPENAI_API_KEY", "ANTHROPIC_API_KEY"].filter((name) => !env[name]);
  const redis = await startRedis({ env, onInfo: say });
  const processes: AppProcess[] = [];
  const stop = async () => {
    await Promise.all(processes.map((app) => app.stop()));
    await redis.stop();
  };
  try {
    const [simPort, apiPort, workerPort] = [await findFreePort(), await findFreePort(), await findFreePort()];
    const simulatorUrl = `http://127.0.0.1:${simPort}`;
    const keyPrefix = env.LLMR_DEMO_KEY_PREFIX || `demo-${randomUUID()}`;
    const { path: configPath, config } = writeDemoConfig(keyPrefix, simulatorUrl, missing.length === 2, env);
    if (missing.length > 0) {
      const simulator = startAppProcess("simulator", {
        SIMULATOR_PORT: String(simPort),
        SIMULATOR_LATENCY_SCALE: String(latencyScale),
      });
      processes.push(simulator);
      await waitUntilReady(simulator, `${simulatorUrl}/healthz`);
    }
    const apiKey = `llmr_demo_${randomBytes(16).toString("hex")}`;
    const shared = {
      REDIS_URL: redis.url,
      ROUTER_CONFIG: configPath,
      SIMULATOR_URL: simulatorUrl,
      ...vendorEnv,
    };
    const worker = startAppProcess("worker", { ...shared, WORKER_METRICS_PORT: String(workerPort) });
    const api = startAppProcess("api", { ...shared, PORT: String(apiPort), LLMR_API_KEYS: `demo:${apiKey}` });
    processes.push(worker, api);
    await Promise.all([
      waitUntilReady(api, `http://127.0.0.1:${apiPort}/readyz`, 60_000),
      waitUntilReady(worker, `http://127.0.0.1:${workerPort}/readyz`, 60_000),
    ]);
    const who =
      missing.length === 0
        ? "the real OpenAI and Anthropic APIs (keys set)"
        : missing.length === 2
          ? `the provider simulator (no OPENAI_API_KEY / ANTHROPIC_API_KEY; latency × ${latencyScale})`
          : `the real vendor whose key is set, the simulator for ${missing.join(" and ")} missing`;
    return {
      apiUrl: `http://127.0.0.1:${apiPort}`,
      apiKey,
      config,
      description: `a system started for this demo (API and worker processes, Redis: ${redis.source}) answered by ${who}`,
      simulated: missing.length === 2,
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

/**
 * The shipped default config on the demo's key prefix. With the simulator only, the deployments'
 * RPM/TPM budgets and the API's per-key limit are lifted (as `pnpm bench` does): they are the
 * vendors' account limits, which a simulator does not have. With a real vendor they stay.
 */
function writeDemoConfig(
  keyPrefix: string,
  simulatorUrl: string,
  simulatedOnly: boolean,
  env: NodeJS.ProcessEnv,
): { path: string; config: RouterConfig } {
  const doc = parse(readFileSync(DEFAULT_CONFIG_PATH, "utf8")) as Record<string, unknown> & {
    tiers: Array<{ deployments: Array<Record<string, unknown>> }>;
  };
  doc.redis = { key_prefix: keyPrefix };
  if (simulatedOnly) {
    for (const deployment of doc.tiers.flatMap((tier) => tier.deployments)) {
      deployment.rpm = UNBINDING_PER_MINUTE;
      deployment.tpm = UNBINDING_PER_MINUTE;
    }
    doc.api = { rate_limit: { requests_per_minute: 1_000_000, burst: 100_000 } };
  }
  const path = join(mkdtempSync(join(tmpdir(), "llmr-demo-")), "router.yaml");
  writeFileSync(path, JSON.stringify(doc));
  const config = validateConfig(doc, path, { env: { ...env, SIMULATOR_URL: simulatorUrl } });
  return { path, config };
}
