import type { ChildProcess } from "node:child_process";
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";

/** The repository root: apps run from here, as `npm start` runs them. */
export const REPO_ROOT = fileURLToPath(new URL("../../../", import.meta.url));

/** Only the tail of a child's output is kept: enough for an error message, bounded for long runs. */
const KEPT_OUTPUT_CHARS = 50_000;
/** How long a child may take to exit on SIGTERM before it is killed. */
const STOP_GRACE_MS = 10_000;
const POLL_MS = 50;

/** A router app (or any Node script of the repository) running as a child process. */
export interface AppProcess {
  readonly name: string;
  readonly child: ChildProcess;
  /** The tail of what it printed (stdout and stderr). */
  output(): string;
  /** Whether it is still running. */
  alive(): boolean;
  /** Resolves with the exit code (null when a signal ended it) once it has exited. */
  readonly exited: Promise<number | null>;
  /** SIGTERM, then SIGKILL after a grace period; resolves when it has exited. */
  stop(): Promise<void>;
}

export interface AppProcessOptions {
  /** The script, relative to the repository root. @defaultValue `apps/<name>/src/main.ts` */
  script?: string;
  /** Extra Node flags, e.g. `--cpu-prof`. @defaultValue [] */
  nodeArgs?: readonly string[];
}

/**
 * Starts one of the router's apps exactly as `npm start` does (`node apps/<name>/src/main.ts` from
 * the repository root), configured only by `env` (plus PATH), and keeps what it prints.
 *
 * @example
 * const api = startAppProcess("api", { REDIS_URL, PORT: "8080" });
 * await waitUntilReady(api, "http://127.0.0.1:8080/readyz");
 */
export function startAppProcess(
  name: string,
  env: Record<string, string>,
  options: AppProcessOptions = {},
): AppProcess {
  const script = options.script ?? `apps/${name}/src/main.ts`;
  const child = spawn(process.execPath, [...(options.nodeArgs ?? []), script], {
    cwd: REPO_ROOT,
    env: { PATH: process.env.PATH ?? "", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let printed = "";
  const keep = (chunk: Buffer) => {
    printed = (printed + chunk.toString()).slice(-KEPT_OUTPUT_CHARS);
  };
  child.stdout?.on("data", keep);
  child.stderr?.on("data", keep);
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  const alive = () => child.exitCode === null && child.signalCode === null;
  return {
    name,
    child,
    output: () => printed,
    alive,
    exited,
    stop: async () => {
      if (!alive()) return;
      child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), STOP_GRACE_MS);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** Polls `url` until it answers 2xx; throws with the app's output if it dies or the time runs out. */
export async function waitUntilReady(app: AppProcess, url: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (!app.alive()) throw new Error(`${app.name} exited early:\n${app.output()}`);
    const ok = await fetch(url)
      .then((res) => res.ok)
      .catch(() => false);
    if (ok) return;
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
  throw new Error(`${app.name} not ready at ${url} after ${timeoutMs} ms:\n${app.output()}`);
}

/**
 * Resolves once `app` has printed `text` (e.g. the worker's "workers running"), for processes with
 * no HTTP endpoint to poll. Throws with what it printed when it exits first or after `timeoutMs`.
 */
export async function waitForOutput(app: AppProcess, text: string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!app.output().includes(text)) {
    if (!app.alive() || Date.now() > deadline)
      throw new Error(`${app.name} never said "${text}":\n${app.output()}`);
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}

/** How a script run to its end finished: its exit code (null after a signal) and what it printed. */
export interface ScriptRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs `node <script> <args>` (a path relative to the repository root) to its end with only `env`
 * (plus PATH), stdout and stderr as pipes (not a terminal), and resolves with what it printed.
 *
 * @example
 * const run = await runScript("apps/cli/bin/llmr.js", ["jobs", "get", id], { LLMR_API_KEY: key });
 */
export function runScript(
  script: string,
  args: readonly string[],
  env: Record<string, string>,
  cwd = REPO_ROOT,
): Promise<ScriptRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [`${REPO_ROOT}/${script}`, ...args], {
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
