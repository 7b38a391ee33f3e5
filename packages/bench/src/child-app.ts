import type { ChildProcess } from "node:child_process";
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";

/** The repository root: children run from here, as `npm start` runs them. */
export const REPO_ROOT = fileURLToPath(new URL("../../../", import.meta.url));

/** A Node child process under measurement. */
export interface ChildApp {
  readonly name: string;
  readonly child: ChildProcess;
  /** Everything it printed (stdout and stderr), for error messages. */
  output(): string;
  stop(): Promise<void>;
}

/** How to start a {@link ChildApp}. */
export interface ChildAppOptions {
  name: string;
  /** The script, relative to the repository root. */
  script: string;
  env: Record<string, string>;
  /** When set, the child writes a V8 CPU profile here on exit (`--cpu-prof`). */
  cpuProfDir?: string;
}

/** How long a child may take to exit on SIGTERM (writing its profile) before it is killed. */
const STOP_GRACE_MS = 10_000;

/** Starts `node <script>` with only the environment given (plus PATH). */
export function startChildApp(options: ChildAppOptions): ChildApp {
  const profileArgs =
    options.cpuProfDir === undefined ? [] : ["--cpu-prof", `--cpu-prof-dir=${options.cpuProfDir}`];
  const child = spawn(process.execPath, [...profileArgs, options.script], {
    cwd: REPO_ROOT,
    env: { PATH: process.env.PATH ?? "", ...options.env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let printed = "";
  const keep = (chunk: Buffer) => {
    // Only the tail matters for an error message; a long run must not grow this without bound.
    printed = (printed + chunk.toString()).slice(-20_000);
  };
  child.stdout?.on("data", keep);
  child.stderr?.on("data", keep);
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  return {
    name: options.name,
    child,
    output: () => printed,
    stop: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), STOP_GRACE_MS);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** Polls `url` until it answers 2xx; throws with the child's output if it dies or takes too long. */
export async function waitUntilReady(app: ChildApp, url: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (app.child.exitCode !== null) throw new Error(`${app.name} exited early:\n${app.output()}`);
    const ok = await fetch(url)
      .then((res) => res.ok)
      .catch(() => false);
    if (ok) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`${app.name} not ready at ${url} after ${timeoutMs} ms:\n${app.output()}`);
}
