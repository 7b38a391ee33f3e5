/**
 * Runs one of the router's apps as a child process, exactly as `npm start` does
 * (`node apps/<name>/src/main.ts` from the repository root), with only the environment given (plus
 * PATH), and keeps the tail of what it prints for error messages.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { EvaluationError } from "./evaluation-error.ts";

/** The repository root (this file is `packages/eval/src/child-app.ts`). */
export const repoRoot = fileURLToPath(new URL("../../../", import.meta.url));

/** How much of a child's output is kept: enough for a stack trace, bounded for long runs. */
const keptOutputChars = 20_000;
/** Time a child gets to exit after SIGTERM before it is killed. */
const stopGraceMs = 10_000;
const readyPollMs = 50;

export type AppName = "api" | "worker" | "simulator";

export interface ChildApp {
  readonly name: AppName;
  /** The tail of what it printed (stdout and stderr). */
  output(): string;
  /** Whether it is still running. */
  alive(): boolean;
  /** Throws an `EvaluationError` with its output when it has exited. */
  assertAlive(): void;
  /** SIGTERM, then SIGKILL after a grace period; resolves when it has exited. */
  stop(): Promise<void>;
}

export function startChildApp(name: AppName, env: Record<string, string>): ChildApp {
  const child: ChildProcess = spawn(process.execPath, [`apps/${name}/src/main.ts`], {
    cwd: repoRoot,
    env: { PATH: process.env.PATH ?? "", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let printed = "";
  const keep = (chunk: Buffer) => {
    printed = (printed + chunk.toString()).slice(-keptOutputChars);
  };
  child.stdout?.on("data", keep);
  child.stderr?.on("data", keep);
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const alive = () => child.exitCode === null && child.signalCode === null;
  return {
    name,
    output: () => printed,
    alive,
    assertAlive() {
      if (!alive())
        throw new EvaluationError(
          `the ${name} process exited (${child.exitCode ?? child.signalCode}):\n${printed}`,
        );
    },
    async stop() {
      if (!alive()) return;
      child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), stopGraceMs);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** Polls `url` until it answers 200; throws with the app's output if it dies or the time runs out. */
export async function waitUntilReady(app: ChildApp, url: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    app.assertAlive();
    const ok = await fetch(url)
      .then((res) => res.ok)
      .catch(() => false);
    if (ok) return;
    await new Promise((resolve) => setTimeout(resolve, readyPollMs));
  }
  throw new EvaluationError(`${app.name} not ready at ${url} after ${timeoutMs} ms:\n${app.output()}`);
}
