import { spawn } from "node:child_process";
import type { AppProcess, RedisFixture } from "@llmr/testing";
import { findFreePort, REPO_ROOT, startAppProcess, waitUntilReady } from "@llmr/testing";
import { writeRouterConfig } from "../../../test/e2e/router-config-file.ts";

/** The CLI's bin, as `npx llmr` and `pnpm llmr` run it. */
export const LLMR_BIN = "apps/cli/bin/llmr.js";

/** The real system as three processes (simulator, API, worker) on the test's Redis prefix. */
export interface CliStack {
  apiUrl: string;
  apiKey: string;
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
  const processes: AppProcess[] = [simulator];
  try {
    await waitUntilReady(simulator, `${simUrl}/healthz`);
    const api = startAppProcess("api", { ...env, PORT: String(apiPort), LLMR_API_KEYS: `cli:${apiKey}` });
    processes.push(api, startAppProcess("worker", env));
    await waitUntilReady(api, `${apiUrl}/readyz`);
  } catch (error) {
    await Promise.all(processes.map((app) => app.stop()));
    throw error;
  }
  return { apiUrl, apiKey, stop: async () => void (await Promise.all(processes.map((app) => app.stop()))) };
}

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `llmr <args>` as a child process (stdout and stderr are pipes: not a terminal). */
export function runLlmr(
  args: readonly string[],
  env: Record<string, string>,
  cwd = REPO_ROOT,
): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [`${REPO_ROOT}/${LLMR_BIN}`, ...args], {
      cwd,
      env: { PATH: process.env.PATH ?? "", ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    child.stderr.on("data", (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.once("error", reject);
    child.once("close", (code) => resolve({ code, stdout, stderr }));
  });
}

/** A document long enough that its summary is shorter than it (the summarize quality check). */
export const sampleDocument = (topic: string) =>
  [
    `The ${topic} report covers the last quarter. Sales grew in every region, led by the north. Returns fell.`,
    `Costs for ${topic} rose slightly, mostly from shipping. Fuel prices doubled in March. Packaging stayed flat.`,
    "The support team answered more tickets than ever. Waiting times halved after the new rota. Staff stayed.",
    "Next quarter the team expects calmer markets. Hiring will resume in May. The budget is unchanged for now.",
  ].join("\n\n");
