/**
 * The router's apps as child processes for the evaluation (`@llmr/testing`'s `startAppProcess`),
 * with failures reported as `EvaluationError`s, which the CLI prints without a stack trace.
 */
import type { AppProcess } from "@llmr/testing";
import { REPO_ROOT, startAppProcess, waitUntilReady as waitUntilAppReady } from "@llmr/testing";
import { EvaluationError } from "./evaluation-error.ts";

/** The repository root. */
export const repoRoot = REPO_ROOT;

export type AppName = "api" | "worker" | "simulator";

export interface ChildApp extends AppProcess {
  /** Throws an `EvaluationError` with its output when it has exited. */
  assertAlive(): void;
}

export function startChildApp(name: AppName, env: Record<string, string>): ChildApp {
  const app = startAppProcess(name, env);
  return {
    ...app,
    assertAlive() {
      if (!app.alive()) {
        throw new EvaluationError(
          `the ${name} process exited (${app.child.exitCode ?? app.child.signalCode}):\n${app.output()}`,
        );
      }
    },
  };
}

/** Polls `url` until it answers 2xx; an `EvaluationError` with the app's output otherwise. */
export async function waitUntilReady(app: ChildApp, url: string, timeoutMs = 30_000): Promise<void> {
  try {
    await waitUntilAppReady(app, url, timeoutMs);
  } catch (error) {
    throw new EvaluationError(error instanceof Error ? error.message : String(error), { cause: error });
  }
}
