/**
 * The system under evaluation, as separate processes: the provider simulator (replaying recorded
 * answers, or generating them) and the router's API and worker, each started from its `main.ts`
 * with the environment `npm start` would give it. Redis comes from the caller.
 */
import { randomBytes } from "node:crypto";
import { findFreePort } from "@llmr/testing";
import { type ChildApp, startChildApp, waitUntilReady } from "./child-app.ts";

export interface SimulatorProcess {
  /** Root URL (`http://127.0.0.1:PORT`). */
  url: string;
  app: ChildApp;
  stop(): Promise<void>;
}

export interface SimulatorProcessOptions {
  /** Replay files; none = every answer generated. @defaultValue [] */
  replayFiles?: readonly string[];
  /** Multiplies simulated latency. @defaultValue 0 (instant) */
  latencyScale?: number;
  /** Seed of the simulator's decisions. @defaultValue 42 */
  seed?: number;
}

export async function startSimulatorProcess(
  options: SimulatorProcessOptions = {},
): Promise<SimulatorProcess> {
  const port = await findFreePort();
  const env: Record<string, string> = {
    SIMULATOR_PORT: String(port),
    SIMULATOR_LATENCY_SCALE: String(options.latencyScale ?? 0),
    SIMULATOR_SEED: String(options.seed ?? 42),
  };
  if (options.replayFiles && options.replayFiles.length > 0)
    env.SIMULATOR_REPLAY = options.replayFiles.join(",");
  const app = startChildApp("simulator", env);
  const url = `http://127.0.0.1:${port}`;
  try {
    await waitUntilReady(app, `${url}/healthz`);
  } catch (error) {
    await app.stop();
    throw error;
  }
  return { url, app, stop: () => app.stop() };
}

export interface RouterProcesses {
  apiUrl: string;
  /** The API key the harness submits jobs with. */
  apiKey: string;
  /** Throws with the output of a process that has died. */
  assertAlive(): void;
  stop(): Promise<void>;
}

export interface RouterProcessOptions {
  redisUrl: string;
  simulatorUrl: string;
  /** The generated router config. */
  configPath: string;
  /** pino level of both processes. @defaultValue "warn" */
  logLevel?: string;
}

export async function startRouterProcesses(options: RouterProcessOptions): Promise<RouterProcesses> {
  const port = await findFreePort();
  const apiKey = `llmr_eval_${randomBytes(16).toString("hex")}`;
  const env = {
    REDIS_URL: options.redisUrl,
    ROUTER_CONFIG: options.configPath,
    SIMULATOR_URL: options.simulatorUrl,
    LOG_LEVEL: options.logLevel ?? "warn",
  };
  const api = startChildApp("api", {
    ...env,
    PORT: String(port),
    HOST: "127.0.0.1",
    LLMR_API_KEYS: `eval:${apiKey}`,
    LLMR_OPERATOR_TOKEN: `llmr_eval_operator_${randomBytes(16).toString("hex")}`,
  });
  const worker = startChildApp("worker", env);
  const stop = async () => {
    await Promise.all([api.stop(), worker.stop()]);
  };
  const apiUrl = `http://127.0.0.1:${port}`;
  try {
    await waitUntilReady(api, `${apiUrl}/readyz`);
    worker.assertAlive();
  } catch (error) {
    await stop();
    throw error;
  }
  return {
    apiUrl,
    apiKey,
    assertAlive() {
      api.assertAlive();
      worker.assertAlive();
    },
    stop,
  };
}
