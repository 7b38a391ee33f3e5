import { setTimeout as delay } from "node:timers/promises";

/** Options of {@link waitForHttp}. */
export interface WaitForHttpOptions {
  /** Which status means "ready". @defaultValue any status: the server answers */
  ready?: (status: number) => boolean;
  /** Give up after this long. @defaultValue 60000 */
  timeoutMs?: number;
  /** Pause between attempts. @defaultValue 250 */
  intervalMs?: number;
  /** Stop waiting (resolve `false`) as soon as this returns true, e.g. when the stack is stopping. */
  abort?: () => boolean;
}

/**
 * Polls `url` with GET until it answers as `ready` wants. A process that is starting gives no
 * other signal we could await, hence the polling.
 *
 * @returns true once ready, false if aborted
 * @throws Error naming the URL and the last answer after `timeoutMs`
 *
 * @example
 * ```ts
 * await waitForHttp("http://127.0.0.1:8080/readyz", { ready: (status) => status === 200 });
 * ```
 */
export async function waitForHttp(url: string, options: WaitForHttpOptions = {}): Promise<boolean> {
  const { ready = () => true, timeoutMs = 60_000, intervalMs = 250, abort = () => false } = options;
  const deadline = Date.now() + timeoutMs;
  let lastAnswer = "no answer";
  while (!abort()) {
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(2000) });
      await response.body?.cancel();
      if (ready(response.status)) return true;
      lastAnswer = `HTTP ${response.status}`;
    } catch (error) {
      lastAnswer =
        error instanceof Error
          ? error.cause instanceof Error
            ? error.cause.message
            : error.message
          : String(error);
    }
    if (Date.now() >= deadline)
      throw new Error(`${url} was not ready after ${timeoutMs / 1000} s (last: ${lastAnswer})`);
    await delay(intervalMs);
  }
  return false;
}
