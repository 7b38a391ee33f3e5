import type { AppProcess } from "./app-process.ts";

/**
 * Resolves once `app` has printed `text` (e.g. the worker's "workers running"), for processes that
 * have no HTTP endpoint to poll. Throws with everything it printed when it exits first or after
 * `timeoutMs`.
 */
export async function waitForOutput(app: AppProcess, text: string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!app.output().includes(text)) {
    if (app.child.exitCode !== null || Date.now() > deadline)
      throw new Error(`${app.name} never said "${text}":\n${app.output()}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
