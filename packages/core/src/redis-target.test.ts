import { describe, expect, it } from "vitest";
import { ClusterNodesSchema, parseClusterNodes } from "./redis-target.ts";

describe("parseClusterNodes (REDIS_CLUSTER_NODES)", () => {
  it("reads host:port seeds, trims them, and defaults the port to 6379", () => {
    expect(parseClusterNodes(" 10.0.0.1:7000 , redis-2 ,[::1]:7002,")).toEqual({
      nodes: [
        { host: "10.0.0.1", port: 7000 },
        { host: "redis-2", port: 6379 },
        { host: "::1", port: 7002 },
      ],
      tls: false,
    });
  });

  it("takes credentials and TLS from a rediss:// seed for every node (a managed cluster's endpoint)", () => {
    expect(
      parseClusterNodes("rediss://app:s%40cret@clustercfg.example.cache.amazonaws.com:6380,10.0.0.9:6380"),
    ).toEqual({
      nodes: [
        { host: "clustercfg.example.cache.amazonaws.com", port: 6380 },
        { host: "10.0.0.9", port: 6380 },
      ],
      username: "app",
      password: "s@cret",
      tls: true,
    });
  });

  it("refuses what it does not understand, naming the seed and never echoing a password", () => {
    expect(() => parseClusterNodes(" , ")).toThrow("REDIS_CLUSTER_NODES: name at least one node");
    expect(() => parseClusterNodes("a:1,b:99999")).toThrow(
      'REDIS_CLUSTER_NODES[1]: "b:99999" is not host:port',
    );
    expect(() => parseClusterNodes("http://a:1")).toThrow(
      "REDIS_CLUSTER_NODES[0]: use redis:// or rediss://",
    );
    expect(() => parseClusterNodes("redis://a:1/3")).toThrow("only database 0");
    const disagreeing = () => parseClusterNodes("redis://:hunter2@a:1,rediss://:two@b:1");
    expect(disagreeing).toThrow(/disagree/);
    expect(disagreeing).not.toThrow(/hunter2/);
  });

  it("is optional in an app's env: unset or empty means one Redis at REDIS_URL", () => {
    expect(ClusterNodesSchema.parse(undefined)).toBeUndefined();
    expect(ClusterNodesSchema.parse("  ")).toBeUndefined();
    expect(ClusterNodesSchema.parse("a:1")?.nodes).toEqual([{ host: "a", port: 1 }]);
    const bad = ClusterNodesSchema.safeParse("redis://:hunter2@a:1/5");
    expect(bad.success).toBe(false);
    expect(JSON.stringify(bad.error)).not.toContain("hunter2");
  });
});
