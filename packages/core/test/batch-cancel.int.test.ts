import { setTimeout as sleep } from "node:timers/promises";
import type { RunningSimulator } from "@llmr/simulator";
import { startSimulator } from "@llmr/simulator";
import { redisFixture } from "@llmr/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { BatchSource } from "../src/batches/batch-source.ts";
import { BatchStore } from "../src/batches/batch-store.ts";
import { submitBatch } from "../src/batches/submit-batch.ts";
import { JobStore } from "../src/job-store.ts";
import { RedisKeys } from "../src/redis-keys.ts";
import { TierQueues } from "../src/tier-queues.ts";
import { routerTestConfig } from "./router-test-config.ts";
import { startTestRouter } from "./test-router.ts";

const redis = redisFixture();
let simulator: RunningSimulator;

beforeAll(async () => {
  simulator = await startSimulator({ port: 0, latencyScale: 0 });
});
afterAll(async () => {
  await simulator.close();
});

function source(prefix: string, count: number): BatchSource {
  return {
    options: {},
    optionsWhere: "",
    entries: (async function* () {
      for (let i = 0; i < count; i++)
        yield { where: `items[${i}]`, raw: { custom_id: `${prefix}${i}`, input: `Name colour ${i}.` } };
    })(),
  };
}

describe("a worker taking an item of a cancelled batch", () => {
  it("cancels it without calling a provider, before the batch's cancel reaches the item", async () => {
    const connection = redis.connect();
    const config = routerTestConfig({ simulatorUrl: simulator.url, keyPrefix: redis.uniquePrefix() });
    const keys = new RedisKeys(config.redis.keyPrefix);
    const batches = new BatchStore(connection, keys);
    const store = new JobStore(connection, keys, { retentionSeconds: 60 });
    const queues = new TierQueues(connection, config);
    const deps = { config, store, batches, queues };
    const cancelled = await submitBatch(deps, "tenant-a", source("c", 3));
    const running = await submitBatch(deps, "tenant-a", source("r", 1));
    // What cancelBatch does first; its loop over the items, which would dequeue them, has not run.
    expect(await batches.requestCancel(cancelled.id)).toBe("ok");
    expect(await batches.cancelRequested(cancelled.id)).toBe(true);
    expect(await batches.cancelRequested(running.id)).toBe(false);

    const router = startTestRouter(connection, config, { deps: { batches } });
    try {
      const finished = () => router.events.filter((event) => event.type === "finished");
      const deadline = Date.now() + 10_000;
      while (finished().length < 4 && Date.now() < deadline) await sleep(20);

      // Every call was the other batch's item's: only the cancelled batch is skipped.
      const [other] = await batches.readItems(running.id, 0, 1);
      const otherJob = (await store.get(other?.jobId ?? ""))?.record.job;
      expect(otherJob?.status).toBe("succeeded");
      expect(simulator.stats().requests_total).toBe(otherJob?.attempts.length);
      const items = await batches.readItems(cancelled.id, 0, 3);
      for (const item of items) {
        const job = (await store.get(item.jobId))?.record.job;
        expect(job).toMatchObject({ status: "cancelled", attempts: [] });
        expect(job?.finished_at).not.toBeNull();
      }
      // Counted once each, as a finished job (the API's cancel loop then finds them cancelled already).
      expect(
        finished().filter((event) => event.type === "finished" && event.job.status === "cancelled"),
      ).toEqual(items.map(() => expect.objectContaining({ transitioned: true })));
      expect(await batches.get(cancelled.id)).toMatchObject({
        status: "cancelled",
        counts: { total: 3, queued: 0, running: 0, cancelled: 3 },
      });
      expect(await batches.get(running.id)).toMatchObject({
        status: "completed",
        counts: { total: 1, succeeded: 1 },
      });
    } finally {
      await router.close();
      await queues.close();
    }
  });
});
