import type { RedisClusterProcess } from "@llmr/testing";
import { findFreePort, sendRedisCommand, startRedisCluster, startRedisServer } from "@llmr/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { newJobId } from "../src/ids.ts";
import { JobEventHub } from "../src/job-event-hub.ts";
import type { JobEventNotice } from "../src/job-events.ts";
import { JobEvents } from "../src/job-events.ts";
import type { JobRecord } from "../src/job-record.ts";
import { JobStore } from "../src/job-store.ts";
import type { RedisClient } from "../src/redis-connection.ts";
import { createRedis, duplicateRedis, isCluster, waitForRedis } from "../src/redis-connection.ts";
import { RedisKeys } from "../src/redis-keys.ts";
import { assertNoEviction, UnsafeRedisError } from "../src/redis-safety.ts";
import { parseClusterNodes } from "../src/redis-target.ts";

let cluster: RedisClusterProcess;
const clients: RedisClient[] = [];

function connect(role: "api" | "worker", seeds = cluster.seeds): RedisClient {
  const client = createRedis(parseClusterNodes(seeds.join(",")), role);
  client.on("error", () => undefined); // the unreachable-cluster test provokes errors on purpose
  clients.push(client);
  return client;
}

beforeAll(async () => {
  cluster = await startRedisCluster({ masters: 3 });
});

afterAll(async () => {
  for (const client of clients) client.disconnect();
  await cluster?.stop();
});

describe("createRedis on a Redis Cluster (REDIS_CLUSTER_NODES)", () => {
  it("gives a cluster client that finds every master from one seed", async () => {
    const redis = connect("worker", cluster.seeds.slice(0, 1));
    expect(isCluster(redis)).toBe(true);
    expect(await waitForRedis(redis, 10_000)).toBe(true);
    if (!isCluster(redis)) return;
    expect(redis.nodes("master")).toHaveLength(3);
  });

  it("announces every job's events to a subscriber on any node, whichever node holds the job", async () => {
    const redis = connect("worker");
    const keys = new RedisKeys("cluster-int");
    const events = new JobEvents(redis, keys, { retentionSeconds: 60 });
    const hub = new JobEventHub(duplicateRedis(redis), keys.eventsChannel);
    await hub.start();
    const heard: JobEventNotice[] = [];
    hub.listenAll((notice) => heard.push(notice));
    // Enough jobs that their streams land on every master (three nodes, random ids).
    const ids = Array.from({ length: 24 }, () => newJobId());
    for (const id of ids) await events.publish(id, "status", { status: "queued" });
    await expect.poll(() => heard.length, { timeout: 5_000 }).toBe(ids.length);
    // Each job's notices come in order (one node publishes them); different jobs' need not.
    expect(heard.map((notice) => notice.job_id).sort()).toEqual([...ids].sort());
    expect((await events.history(ids[0] ?? "")).map((event) => event.type)).toEqual(["status"]);
    if (!isCluster(redis)) return;
    const holding = await Promise.all(
      redis.nodes("master").map(async (node) => (await node.keys("cluster-int:job:*")).length),
    );
    expect(holding.filter((count) => count > 0).length).toBe(3);
    await hub.close();
  });

  it("creates records with their first event in one script on whichever node holds the job", async () => {
    const redis = connect("api");
    expect(await waitForRedis(redis, 10_000)).toBe(true);
    const keys = new RedisKeys("cluster-create");
    const store = new JobStore(redis, keys, { retentionSeconds: 60 });
    const events = new JobEvents(redis, keys, { retentionSeconds: 60 });
    const ids = Array.from({ length: 24 }, () => newJobId());
    // Only the id matters to the script (the record's shape is the store's callers' business).
    const record = (id: string) => ({ job: { id, status: "queued" } }) as unknown as JobRecord;
    await Promise.all(
      ids.map((id) => store.create(record(id), { event: { type: "status", data: { status: "queued" } } })),
    );
    for (const id of ids)
      expect((await events.history(id)).map((event) => event.data)).toEqual([{ status: "queued" }]);
    if (!isCluster(redis)) return;
    const holding = await Promise.all(
      redis.nodes("master").map(async (node) => (await node.keys("cluster-create:job:*:events")).length),
    );
    expect(holding.filter((count) => count > 0).length).toBe(3);
  });

  it("checks noeviction on every node and names the one that would evict", async () => {
    const redis = connect("worker");
    await expect(assertNoEviction(redis)).resolves.toBeUndefined();
    const evicting = cluster.nodes[2];
    if (!evicting) throw new Error("three nodes expected");
    const set = (policy: string) =>
      sendRedisCommand("127.0.0.1", evicting.port, ["CONFIG", "SET", "maxmemory-policy", policy]);
    expect(await set("allkeys-lru")).toBe("+OK");
    try {
      const refusal = assertNoEviction(redis);
      await expect(refusal).rejects.toBeInstanceOf(UnsafeRedisError);
      await expect(refusal).rejects.toThrow(
        `maxmemory-policy is "allkeys-lru" on cluster node 127.0.0.1:${evicting.port}`,
      );
    } finally {
      await set("noeviction");
    }
  });

  it("rides out a master's restart in a worker, while the API fails fast meanwhile", async () => {
    const worker = connect("worker");
    const api = connect("api");
    expect(await waitForRedis(api, 10_000)).toBe(true);
    const key = "{outage}:k";
    await worker.set(key, "before");
    // The node that holds the key is the one that does not redirect a plain GET elsewhere.
    const replies = await Promise.all(
      cluster.nodes.map((node) => sendRedisCommand("127.0.0.1", node.port, ["GET", key])),
    );
    const owner =
      cluster.nodes[replies.findIndex((reply) => reply !== undefined && !reply.startsWith("-MOVED"))];
    if (!owner) throw new Error(`no node owns ${key}: ${replies.join(", ")}`);

    process.kill(owner.pid, "SIGKILL");
    await owner.exited;
    const during = worker.set(key, "during");
    const started = Date.now();
    await expect(api.get(key)).rejects.toThrow();
    expect(Date.now() - started).toBeLessThan(5_000);
    const back = await startRedisServer({ port: owner.port, dir: owner.dir, args: cluster.nodeArgs });
    try {
      await expect(during).resolves.toBe("OK");
      expect(await worker.get(key)).toBe("during");
    } finally {
      await back.stop();
    }
  });

  it("fails fast for the API when no seed answers (a 503, never a hang)", async () => {
    const redis = connect("api", [`127.0.0.1:${await findFreePort()}`]);
    const started = Date.now();
    await expect(redis.get("anything")).rejects.toThrow();
    await expect(assertNoEviction(redis)).rejects.toThrow();
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(await waitForRedis(redis, 200)).toBe(false);
  });
});
