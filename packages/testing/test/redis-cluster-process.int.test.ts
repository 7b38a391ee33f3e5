import { existsSync } from "node:fs";
import { Cluster } from "ioredis";
import { describe, expect, it } from "vitest";
import { findExecutable } from "../src/find-executable.ts";
import { startRedisCluster } from "../src/redis-cluster-process.ts";
import { pingRedis, sendRedisCommand } from "../src/redis-ping.ts";

describe.skipIf(findExecutable("redis-server") === undefined)("startRedisCluster", () => {
  it("forms a cluster of three masters that share every slot, and removes it all on stop", async () => {
    const cluster = await startRedisCluster({ masters: 3 });
    try {
      expect(cluster.seeds).toEqual(cluster.nodes.map((node) => `127.0.0.1:${node.port}`));
      for (const node of cluster.nodes) {
        const info = await sendRedisCommand("127.0.0.1", node.port, ["CLUSTER", "INFO"]);
        expect(info).toContain("cluster_state:ok");
        expect(info).toContain("cluster_slots_assigned:16384");
        expect(info).toContain("cluster_known_nodes:3");
        expect(await sendRedisCommand("127.0.0.1", node.port, ["INFO", "memory"])).toContain(
          "maxmemory_policy:noeviction",
        );
      }
      // A cluster client writes keys of different slots through it.
      const client = new Cluster([...cluster.seeds], { redisOptions: { maxRetriesPerRequest: 1 } });
      for (const tag of ["a", "b", "c", "d", "e", "f"]) await client.set(`{${tag}}:k`, tag);
      const perNode = await Promise.all(client.nodes("master").map((node) => node.dbsize()));
      expect(perNode.filter((count) => count > 0).length).toBeGreaterThanOrEqual(2);
      client.disconnect();
    } finally {
      await cluster.stop();
    }
    for (const node of cluster.nodes) {
      expect(existsSync(node.dir)).toBe(false);
      expect(await pingRedis("127.0.0.1", node.port)).toBe(false);
    }
  });

  it("refuses a cluster without masters", async () => {
    await expect(startRedisCluster({ masters: 0 })).rejects.toThrow("masters must be ≥ 1");
  });
});
