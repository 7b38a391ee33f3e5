import { z } from "zod";

/** One node a cluster client starts from; the others are discovered with `CLUSTER SLOTS`. */
export interface ClusterSeed {
  host: string;
  port: number;
}

/** A Redis Cluster, as `REDIS_CLUSTER_NODES` describes it. */
export interface ClusterTarget {
  /** Seed nodes: any reachable one is enough, more ride out a seed being down at start. */
  nodes: readonly ClusterSeed[];
  /** ACL user of every node (a cluster has one set of credentials). */
  username?: string;
  password?: string;
  /** TLS to every node: some seed was a `rediss://` URL. */
  tls: boolean;
}

/** Where the router's Redis is: one server by its URL (`REDIS_URL`), or a Redis Cluster. */
export type RedisTarget = string | ClusterTarget;

const DEFAULT_PORT = 6379;

/**
 * Reads `REDIS_CLUSTER_NODES`: comma-separated seeds, each `host:port`, `[ipv6]:port`, or a
 * `redis://` / `rediss://` URL (`rediss://:token@clustercfg.example.cache.amazonaws.com:6379`).
 * Credentials and TLS given on any seed apply to every node, since the client reaches nodes it
 * discovers with the same settings; seeds that disagree are refused rather than half-used.
 *
 * @throws RangeError naming the seed that is not understood
 *
 * @example
 * ```ts
 * parseClusterNodes("10.0.0.1:6379,10.0.0.2:6379").nodes; // [{ host: "10.0.0.1", port: 6379 }, …]
 * ```
 */
export function parseClusterNodes(text: string): ClusterTarget {
  const seeds = text
    .split(",")
    .map((seed) => seed.trim())
    .filter((seed) => seed !== "");
  if (seeds.length === 0) throw new RangeError("REDIS_CLUSTER_NODES: name at least one node (host:port)");
  const nodes: ClusterSeed[] = [];
  const settings = new Set<string>();
  let target: Omit<ClusterTarget, "nodes"> = { tls: false };
  for (const [i, seed] of seeds.entries()) {
    const parsed = parseSeed(seed, i);
    nodes.push(parsed.node);
    if (parsed.settings) {
      settings.add(JSON.stringify(parsed.settings));
      target = parsed.settings;
    }
  }
  if (settings.size > 1) {
    throw new RangeError(
      "REDIS_CLUSTER_NODES: the seeds disagree on credentials or TLS; a cluster has one of each",
    );
  }
  return { nodes, ...target };
}

function parseSeed(
  seed: string,
  index: number,
): { node: ClusterSeed; settings?: Omit<ClusterTarget, "nodes"> } {
  const where = `REDIS_CLUSTER_NODES[${index}]`;
  if (!seed.includes("://")) return { node: hostPort(seed, where) };
  let url: URL;
  try {
    url = new URL(seed);
  } catch {
    throw new RangeError(`${where}: not a URL nor host:port`);
  }
  if (url.protocol !== "redis:" && url.protocol !== "rediss:") {
    throw new RangeError(`${where}: use redis:// or rediss://, not ${url.protocol}//`);
  }
  if (url.pathname !== "" && url.pathname !== "/" && url.pathname !== "/0") {
    throw new RangeError(`${where}: Redis Cluster has only database 0; drop the "${url.pathname}"`);
  }
  const settings: Omit<ClusterTarget, "nodes"> = { tls: url.protocol === "rediss:" };
  if (url.username !== "") settings.username = decodeURIComponent(url.username);
  if (url.password !== "") settings.password = decodeURIComponent(url.password);
  const port = url.port === "" ? DEFAULT_PORT : Number(url.port);
  return { node: { host: url.hostname.replace(/^\[(.*)\]$/, "$1"), port }, settings };
}

function hostPort(seed: string, where: string): ClusterSeed {
  const match = /^(?:\[([^\]]+)\]|([^:[\]]+))(?::(\d+))?$/.exec(seed);
  const host = match?.[1] ?? match?.[2];
  const port = match?.[3] === undefined ? DEFAULT_PORT : Number(match[3]);
  if (host === undefined || !Number.isInteger(port) || port < 1 || port > 65_535) {
    throw new RangeError(`${where}: "${seed}" is not host:port`);
  }
  return { host, port };
}

/**
 * `REDIS_CLUSTER_NODES` for an app's `env.ts`: unset or empty means a single Redis (`REDIS_URL`).
 * A seed that is not understood fails the parse with a message naming it (never its password).
 */
export const ClusterNodesSchema = z
  .string()
  .optional()
  .transform((text, ctx): ClusterTarget | undefined => {
    if (text === undefined || text.trim() === "") return undefined;
    try {
      return parseClusterNodes(text);
    } catch (error) {
      ctx.issues.push({ code: "custom", message: (error as Error).message, input: "[hidden]" });
      return z.NEVER;
    }
  });
