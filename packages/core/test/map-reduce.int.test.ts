import type { RouterConfig } from "@llmr/config";
import { countTokens } from "@llmr/routing";
import type { RunningSimulator } from "@llmr/simulator";
import { simMarker, startSimulator } from "@llmr/simulator";
import { redisFixture, sectionedReport } from "@llmr/testing";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { BatchStore } from "../src/batches/batch-store.ts";
import { submitBatch } from "../src/batches/submit-batch.ts";
import { cancelJob } from "../src/cancel-job.ts";
import { sumCostUsd } from "../src/cost.ts";
import { JobEvents } from "../src/job-events.ts";
import { JobObjectSchema } from "../src/job-object-schema.ts";
import type { PublicJob } from "../src/job-record.ts";
import { partId } from "../src/map-reduce/queue-parts.ts";
import { RedisKeys } from "../src/redis-keys.ts";
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

let router: ReturnType<typeof startTestRouter> | undefined;
afterEach(async () => {
  await router?.close();
  router = undefined;
});

function start(mapReduce: Record<string, number>, deps: Parameters<typeof startTestRouter>[2] = {}) {
  const config: RouterConfig = routerTestConfig({
    simulatorUrl: simulator.url,
    keyPrefix: redis.uniquePrefix(),
    edit: (doc) => {
      const tasks = doc.tasks as Record<string, Record<string, unknown>>;
      if (tasks.summarize) tasks.summarize.map_reduce = mapReduce;
    },
  });
  router = startTestRouter(redis.connect(), config, deps);
  return router;
}

const chunkAttempts = (job: PublicJob) => job.attempts.filter((attempt) => attempt.chunk);
const ownAttempts = (job: PublicJob) => job.attempts.filter((attempt) => !attempt.chunk);

describe("map-reduce of a long input", () => {
  it("summarizes each part as a child job, then combines their answers in one call; the job shows it all", async () => {
    const { submit, queues, config } = start({ chunk_tokens: 800, overlap_tokens: 60 });
    const document = sectionedReport(40);
    const { queued, finished } = await submit({ task: "summarize", class: "batch", input: document });
    const job = await finished;

    expect(job.status).toBe("succeeded");
    expect(JobObjectSchema.parse(job)).toBeTruthy();
    const total = chunkAttempts(job)[0]?.chunk?.total ?? 0;
    expect(total).toBeGreaterThanOrEqual(Math.ceil(countTokens(document) / 800));
    expect(job.progress).toEqual({ phase: "reduce", round: 1, chunks_done: total, chunks_total: total });
    // Every part answered in the end (some may have escalated on their own), labelled with its part.
    for (let index = 1; index <= total; index++) {
      const mine = chunkAttempts(job).filter((a) => a.chunk?.index === index);
      expect(mine.at(-1)?.outcome, `part ${index}`).toBe("succeeded");
    }
    expect(job.attempts.map((a) => a.n)).toEqual(job.attempts.map((_, i) => i + 1));
    for (const attempt of chunkAttempts(job)) {
      expect(attempt.usage.input_tokens).toBeLessThanOrEqual(800 + 10);
      expect(attempt.checks.map((check) => check.name)).toContain("summary_length");
    }
    // The job's own call read the parts' summaries, not the document.
    const [reduce] = ownAttempts(job);
    expect(ownAttempts(job)).toHaveLength(1);
    expect(reduce?.outcome).toBe("succeeded");
    expect(reduce?.usage.input_tokens).toBeLessThan(countTokens(document) / 2);
    expect(job.result?.output_text).toMatch(/^Section 0 reports that milestone 0 was reached on time\./);
    expect(job.cost_usd).toBe(sumCostUsd(job.attempts.map((a) => a.cost_usd)));
    expect(job.cost_usd).toBeGreaterThan(reduce?.cost_usd ?? 0);

    // The parts ran as BullMQ flow children of the job's BullMQ job.
    const parent = await queues.get(queued.tier, "batch").getJob(`${queued.id}.1`);
    // (A part that escalated was a child again on its next tier: one child per hop.)
    const children = await parent?.getDependenciesCount();
    expect(children?.unprocessed).toBe(0);
    expect(children?.processed).toBeGreaterThanOrEqual(total);
    const part = await router?.store.get(partId(queued.id, 1, 2));
    expect(part?.record.part_of).toEqual({ job_id: queued.id, batch_id: null, round: 1, index: 2, total });
    expect(part?.record.job.batch_id).toBeNull();
    expect(config.tasks.get("summarize")?.mapReduce?.chunkTokens).toBe(800);
    // The worker was told, for its log: how long the input was, the limit, how many parts.
    const splits = router?.events.filter((event) => event.type === "split" && event.jobId === queued.id);
    expect(splits).toEqual([
      expect.objectContaining({
        round: 1,
        parts: total,
        limitTokens: 800,
        inputTokens: countTokens(document) + 7,
      }),
    ]);
  });

  it("leaves an input that fits one call alone", async () => {
    const { submit } = start({ chunk_tokens: 800, overlap_tokens: 60 });
    const job = await (await submit({ task: "summarize", input: sectionedReport(3) })).finished;
    expect(job.status).toBe("succeeded");
    expect(job.progress).toBeUndefined();
    expect(job.attempts).toHaveLength(1);
  });

  it("escalates a weak part on its own; the job's history shows the part's escalation", async () => {
    const { submit } = start({ chunk_tokens: 800, overlap_tokens: 0 });
    const hard = `${simMarker({ difficulty: 0.8 })} `;
    const job = await (await submit({ task: "summarize", input: sectionedReport(40, { 20: hard }) }))
      .finished;
    expect(job.status).toBe("succeeded");
    const escalated = chunkAttempts(job).filter((a) => a.outcome === "low_confidence");
    expect(escalated.length).toBeGreaterThanOrEqual(1);
    const index = escalated[0]?.chunk?.index;
    expect(
      chunkAttempts(job)
        .filter((a) => a.chunk?.index === index)
        .map((a) => `${a.tier}:${a.outcome}`),
    ).toEqual(["fast:low_confidence", "standard:low_confidence", "capable:succeeded"]);
  });

  it("fails the job when a part fails for good, naming the part; the other parts stop", async () => {
    const { submit, store } = start({ chunk_tokens: 800, overlap_tokens: 0 });
    const broken = `${simMarker({ fault: "400" })} `;
    const { queued, finished } = await submit({
      task: "summarize",
      input: sectionedReport(40, { 20: broken }),
    });
    const job = await finished;
    expect(job.status).toBe("failed");
    expect(job.error?.type).toBe("chunk_failed");
    expect(job.error?.message).toMatch(/^part \d+ of \d+, characters [\d,]+–[\d,]+ of the input failed: /);
    const index = Number(job.error?.message.match(/^part (\d+)/)?.[1]);
    const failedPart = await store.get(partId(queued.id, 1, index));
    expect(failedPart?.record.job.status).toBe("failed");
    expect(job.error?.message).toContain(failedPart?.record.job.error?.message ?? "?");
    expect(chunkAttempts(job).some((a) => a.chunk?.index === index && a.outcome === "error")).toBe(true);
    expect(ownAttempts(job)).toHaveLength(0);
  });

  it("summarizes the parts' summaries again while they are too long together (a second round)", async () => {
    const { submit } = start({ chunk_tokens: 300, overlap_tokens: 0, max_levels: 3 });
    const job = await (await submit({ task: "summarize", input: sectionedReport(60) })).finished;
    expect(job.status).toBe("succeeded");
    const rounds = new Set(chunkAttempts(job).map((a) => a.chunk?.round));
    expect(rounds.has(2)).toBe(true);
    expect(job.progress?.phase).toBe("reduce");
    expect(job.progress?.round).toBeGreaterThanOrEqual(2);
    expect(ownAttempts(job).at(-1)?.usage.input_tokens).toBeLessThan(1_000);
  });

  it("cancelling the job cancels its queued parts and takes its BullMQ jobs off the queues", async () => {
    const { submit, store, queues, config } = start({ chunk_tokens: 800, overlap_tokens: 0 });
    // Every part's call takes 2 s: the fast tier's 4 batch slots hold 4 parts, the others wait.
    const slow = `${simMarker({ latency_ms: 2_000 })} `;
    const marks = Object.fromEntries(Array.from({ length: 40 }, (_, p) => [p, slow]));
    const { queued, finished } = await submit({
      task: "summarize",
      class: "batch",
      input: sectionedReport(40, marks),
    });
    await expect
      .poll(async () => (await store.get(queued.id))?.record.job.progress?.chunks_total ?? 0)
      .toBeGreaterThan(4);
    const connection = redis.connect();
    const events = new JobEvents(connection, new RedisKeys(config.redis.keyPrefix), { retentionSeconds: 60 });
    const cancelled = await cancelJob({ store, queues, events }, "tenant-a", queued.id);
    expect(cancelled?.status).toBe("cancelled");

    const total = cancelled?.progress?.chunks_total ?? 0;
    const parts = await Promise.all(
      Array.from({ length: total }, (_, i) => store.get(partId(queued.id, 1, i + 1))),
    );
    expect(parts.every((part) => part?.record.job.status === "cancelled")).toBe(true);
    const queue = queues.get("fast", "batch");
    expect(await queue.getJobCounts("wait", "prioritized", "delayed")).toEqual({
      wait: 0,
      prioritized: 0,
      delayed: 0,
    });
    // The job's BullMQ job waits only for the calls under way, then ends (its record says cancelled).
    await expect
      .poll(() => queue.getJobCounts("active", "waiting-children", "wait"), { timeout: 10_000 })
      .toEqual({ active: 0, "waiting-children": 0, wait: 0 });
    // The calls under way finish (this router does not abort them) and their cost joins the job.
    await expect
      .poll(async () => (await store.get(queued.id))?.record.job.attempts.length ?? 0, { timeout: 10_000 })
      .toBeGreaterThanOrEqual(1);
    const after = (await store.get(queued.id))?.record.job;
    expect(after?.status).toBe("cancelled");
    expect(after?.attempts.every((a) => a.chunk)).toBe(true);
    void finished;
  });

  it("a cancelled batch stops its item's parts at once: queued parts are cancelled without a call", async () => {
    const callsBefore = simulator.stats().requests_total;
    const prefix = redis.uniquePrefix();
    const connection = redis.connect();
    const batches = new BatchStore(connection, new RedisKeys(prefix));
    const config = routerTestConfig({
      simulatorUrl: simulator.url,
      keyPrefix: prefix,
      edit: (doc) => {
        const tasks = doc.tasks as Record<string, Record<string, unknown>>;
        if (tasks.summarize) tasks.summarize.map_reduce = { chunk_tokens: 800, overlap_tokens: 0 };
      },
    });
    router = startTestRouter(connection, config, { deps: { batches } });
    const { store, queues } = router;
    const slow = `${simMarker({ latency_ms: 1_500 })} `;
    const marks = Object.fromEntries(Array.from({ length: 40 }, (_, p) => [p, slow]));
    const batch = await submitBatch({ config, store, batches, queues }, "tenant-a", {
      options: { defaults: { task: "summarize" } },
      optionsWhere: "",
      entries: (async function* () {
        yield { where: "items[0]", raw: { custom_id: "long", input: sectionedReport(40, marks) } };
      })(),
    });
    const [item] = await batches.readItems(batch.id, 0, 1);
    const jobId = item?.jobId ?? "";
    await expect
      .poll(async () => (await store.get(jobId))?.record.job.progress?.chunks_total ?? 0)
      .toBeGreaterThan(4);
    // What the API's cancel does first; its loop over the items has not reached this one.
    expect(await batches.requestCancel(batch.id)).toBe("ok");

    await expect
      .poll(async () => (await store.get(jobId))?.record.job.status, { timeout: 10_000 })
      .toBe("cancelled");
    const job = (await store.get(jobId))?.record.job;
    const total = job?.progress?.chunks_total ?? 0;
    const parts = await Promise.all(
      Array.from({ length: total }, (_, i) => store.get(partId(jobId, 1, i + 1))),
    );
    // The parts whose calls were under way (the fast tier's 4 batch slots) finished them; every
    // other part was cancelled by the worker that took it, without a call.
    const called = parts.filter((part) => (part?.record.job.attempts.length ?? 0) > 0);
    expect(called.length).toBeLessThanOrEqual(4);
    for (const part of parts.filter((candidate) => !called.includes(candidate)))
      expect(part?.record.job.status).toBe("cancelled");
    expect(parts.length - called.length).toBeGreaterThan(0);
    const calls = simulator.stats().requests_total - callsBefore;
    expect(calls).toBeLessThanOrEqual(4);
    await expect.poll(async () => (await store.get(jobId))?.record.job.attempts.length).toBe(calls);
  });

  it("a part that fails without a call (its deadline passed) is reported as a part, not as a job", async () => {
    const config: RouterConfig = routerTestConfig({
      simulatorUrl: simulator.url,
      keyPrefix: redis.uniquePrefix(),
      edit: (doc) => {
        const tasks = doc.tasks as Record<string, Record<string, unknown>>;
        if (tasks.summarize) tasks.summarize.map_reduce = { chunk_tokens: 800, overlap_tokens: 0 };
        doc.jobs = { ...doc.jobs, deadline_s: { interactive: 2, batch: 86_400 } };
        // One part at a time: the later parts are still queued when the job's 2 s are up.
        const fast = doc.tiers[0] as { concurrency?: Record<string, number> };
        fast.concurrency = { interactive: 1, batch: 1 };
      },
    });
    router = startTestRouter(redis.connect(), config);
    const slow = `${simMarker({ latency_ms: 1_500 })} `;
    const marks = Object.fromEntries(Array.from({ length: 40 }, (_, p) => [p, slow]));
    const { queued, finished } = await router.submit({
      task: "summarize",
      input: sectionedReport(40, marks),
    });
    const job = await finished;
    expect(job.status).toBe("failed");
    const partEnds = () =>
      (router?.events ?? []).filter(
        (event) => event.type === "finished" && event.jobId.startsWith(`${queued.id}-`),
      );
    await expect
      .poll(() =>
        partEnds().some(
          (event) => event.type === "finished" && event.job.error?.type === "deadline_exceeded",
        ),
      )
      .toBe(true);
    for (const event of partEnds()) expect(event).toMatchObject({ partOf: queued.id });
    const jobEnds = (router?.events ?? []).filter(
      (event) => event.type === "finished" && !("partOf" in event && event.partOf),
    );
    expect(jobEnds.map((event) => event.type === "finished" && event.jobId)).toEqual([queued.id]);
  });
});
