import type { AppProcess, RedisFixture, ScriptRun } from "@llmr/testing";
import { findFreePort, REPO_ROOT, runScript, startAppProcess, waitUntilReady } from "@llmr/testing";
import { writeRouterConfig } from "../../../test/e2e/router-config-file.ts";

/** The CLI's bin, as `npx llmr` and `pnpm llmr` run it. */
export const LLMR_BIN = "apps/cli/bin/llmr.js";

/** The real system as three processes (simulator, API, worker) on the test's Redis prefix. */
export interface CliStack {
  apiUrl: string;
  apiKey: string;
  /** Stops the API process and starts a new one on the same port (the worker keeps running). */
  restartApi(): Promise<void>;
  stop(): Promise<void>;
}

export async function startCliStack(redis: RedisFixture, apiKey: string): Promise<CliStack> {
  const [simPort, apiPort] = [await findFreePort(), await findFreePort()];
  const simUrl = `http://127.0.0.1:${simPort}`;
  const apiUrl = `http://127.0.0.1:${apiPort}`;
  const simulator = startAppProcess("simulator", {
    SIMULATOR_PORT: String(simPort),
    SIMULATOR_LATENCY_SCALE: "0",
  });
  const env = { ...redis.env, ROUTER_CONFIG: writeRouterConfig(redis.prefix), SIMULATOR_URL: simUrl };
  const apiEnv = { ...env, PORT: String(apiPort), LLMR_API_KEYS: `cli:${apiKey}` };
  const processes: AppProcess[] = [simulator];
  let api: AppProcess | undefined;
  const stopAll = async () => void (await Promise.all([...processes, api].map((app) => app?.stop())));
  try {
    await waitUntilReady(simulator, `${simUrl}/healthz`);
    processes.push(startAppProcess("worker", env));
    api = startAppProcess("api", apiEnv);
    await waitUntilReady(api, `${apiUrl}/readyz`);
  } catch (error) {
    await stopAll();
    throw error;
  }
  return {
    apiUrl,
    apiKey,
    restartApi: async () => {
      await api?.stop();
      api = startAppProcess("api", apiEnv);
      await waitUntilReady(api, `${apiUrl}/readyz`);
    },
    stop: stopAll,
  };
}

export type CliRun = ScriptRun;

/** Runs `llmr <args>` as a child process (stdout and stderr are pipes: not a terminal). */
export function runLlmr(
  args: readonly string[],
  env: Record<string, string>,
  cwd = REPO_ROOT,
): Promise<CliRun> {
  return runScript(LLMR_BIN, args, env, cwd);
}

/** A document long enough that its summary is shorter than it (the summarize quality check). */
export const sampleDocument = (topic: string) =>
  [
    `The ${topic} report covers the last quarter. Sales grew in every region, led by the north. Returns fell.`,
    `Costs for ${topic} rose slightly, mostly from shipping. Fuel prices doubled in March. Packaging stayed flat.`,
    "The support team answered more tickets than ever. Waiting times halved after the new rota. Staff stayed.",
    "Next quarter the team expects calmer markets. Hiring will resume in May. The budget is unchanged for now.",
  ].join("\n\n");
