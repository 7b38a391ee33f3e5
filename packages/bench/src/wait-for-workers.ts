import { setTimeout as sleep } from "node:timers/promises";
import type { TierQueues } from "@llmr/core";

/**
 * Resolves once at least `processes` workers listen on each of `tier`'s queues of `classes`: the
 * workers run with quiet logs (per-job lines would measure the pipe), so readiness is read from
 * BullMQ's list of connected workers. Throws after `timeoutMs`.
 */
export async function waitForWorkers(
  queues: TierQueues,
  tier: string,
  options: {
    classes: ReadonlyArray<"interactive" | "batch">;
    processes?: number;
    timeoutMs?: number;
    /** The worker processes' output tails, for the error. */
    output?: () => string;
  },
): Promise<void> {
  const deadline = Date.now() + (options.timeoutMs ?? 30_000);
  const wanted = options.processes ?? 1;
  for (;;) {
    const listening = await Promise.all(
      options.classes.map((jobClass) => queues.get(tier, jobClass).getWorkersCount()),
    );
    if (listening.every((n) => n >= wanted)) return;
    if (Date.now() > deadline)
      throw new Error(
        `fewer than ${wanted} worker processes took the ${tier} queues in time:\n${options.output?.() ?? ""}`,
      );
    await sleep(100);
  }
}
