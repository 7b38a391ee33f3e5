import type { ClusterOptions, DNSLookupFunction, RedisOptions } from "ioredis";
import { Cluster, Redis } from "ioredis";
import type { ClusterTarget, RedisTarget } from "./redis-target.ts";

/** A connection to the router's Redis: one server, or a Redis Cluster. Every store takes either. */
export type RedisClient = Redis | Cluster;

export type RedisRole = "api" | "worker";

/**
 * An ioredis client set up for its role, on one server (`target` a URL) or a Redis Cluster.
 * - `api`: fail fast. A request must get a 503 at once when Redis is down, never hang in ioredis's
 *   offline queue and never answer 202 for a job that was not stored.
 * - `worker`: wait forever. BullMQ's blocking commands need `maxRetriesPerRequest: null`, and a worker
 *   should ride out a Redis restart rather than crash.
 *
 * @example
 * ```ts
 * createRedis("redis://127.0.0.1:6379", "api");
 * createRedis(parseClusterNodes("10.0.0.1:6379,10.0.0.2:6379"), "worker");
 * ```
 */
export function createRedis(target: RedisTarget, role: RedisRole, name = `llmr-${role}`): RedisClient {
  if (typeof target !== "string") return createCluster(target, role, name);
  if (role === "api") {
    return new Redis(target, {
      connectionName: name,
      // Concurrent requests' commands go out in one write per event-loop turn instead of one
      // syscall each: socket writes were most of the API's CPU under load. The API runs no
      // blocking commands on this client (the event hub subscribes on a connection of its own).
      enableAutoPipelining: true,
      enableOfflineQueue: false,
      maxRetriesPerRequest: 1,
      connectTimeout: 2_000,
      // Keep reconnecting in the background so the API recovers by itself once Redis is back.
      retryStrategy: (times) => Math.min(times * 200, 2_000),
    });
  }
  return new Redis(target, {
    connectionName: name,
    maxRetriesPerRequest: null,
    retryStrategy: (times) => Math.min(times * 500, 5_000),
  });
}

/**
 * The same two roles on a Redis Cluster. Per node (`redisOptions`) the role's retry rule and
 * timeouts; for the cluster: a ready check (`CLUSTER INFO` says ok before any command is sent),
 * reads from masters only (a job record must be read back right after it is written), and the
 * role's reconnect pace for the whole cluster.
 */
function createCluster(target: ClusterTarget, role: RedisRole, name: string): Cluster {
  const redisOptions: RedisOptions = {
    connectionName: name,
    ...(role === "api" ? { maxRetriesPerRequest: 1, connectTimeout: 2_000 } : { maxRetriesPerRequest: null }),
    ...(target.username === undefined ? {} : { username: target.username }),
    ...(target.password === undefined ? {} : { password: target.password }),
    // Certificates are checked against the system CAs (add others with NODE_EXTRA_CA_CERTS).
    ...(target.tls ? { tls: {} } : {}),
  };
  const options: ClusterOptions = {
    redisOptions,
    enableReadyCheck: true,
    scaleReads: "master",
    // Managed clusters over TLS answer CLUSTER SLOTS slower than the 1 s default on a cold start.
    slotsRefreshTimeout: 5_000,
    // A command is retried while its node is down or the cluster is failing over, for at most
    // `maxRedirections` tries (each MOVED/ASK hop counts too) with these pauses in between: about
    // 3 s for the API, which then answers 503, and about half a minute for a worker, long enough
    // for a replica to take over (cluster-node-timeout plus an election).
    ...(role === "api"
      ? {
          enableOfflineQueue: false,
          maxRedirections: 16,
          retryDelayOnFailover: 200,
          retryDelayOnClusterDown: 300,
          clusterRetryStrategy: (times: number) => Math.min(times * 200, 2_000),
        }
      : {
          maxRedirections: 64,
          retryDelayOnFailover: 1_000,
          retryDelayOnClusterDown: 1_000,
          clusterRetryStrategy: (times: number) => Math.min(times * 500, 5_000),
        }),
    // With TLS, connect to the names the nodes announce rather than their resolved addresses:
    // managed services (ElastiCache, MemoryDB) issue certificates for names, not IPs.
    ...(target.tls ? { dnsLookup: keepHostName } : {}),
  };
  return new Cluster(
    target.nodes.map((node) => ({ host: node.host, port: node.port })),
    options,
  );
}

const keepHostName: DNSLookupFunction = (hostname, callback) => callback(null, hostname);

/**
 * Whether `redis` is a Redis Cluster client (keys live on several nodes). By ioredis's own flag,
 * not `instanceof`: a workspace may hold more than one copy of ioredis.
 */
export function isCluster(redis: RedisClient): redis is Cluster {
  return redis.isCluster;
}

/**
 * A new connection with the same target and settings as `redis`, e.g. for a subscriber (a
 * subscribed connection can run nothing else). One call site for both kinds: their `duplicate`
 * methods take different arguments, so a union of the two cannot call it.
 */
export function duplicateRedis(redis: RedisClient): RedisClient {
  return isCluster(redis) ? redis.duplicate() : redis.duplicate();
}

/**
 * Resolves when the client is ready, or after `timeoutMs` either way: a process may start while
 * Redis is still down (its readiness probe says so) and catch up when Redis comes back.
 */
export async function waitForRedis(redis: RedisClient, timeoutMs: number): Promise<boolean> {
  if (redis.status === "ready") return true;
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      redis.off("ready", onReady);
      resolve(false);
    }, timeoutMs);
    const onReady = () => {
      clearTimeout(timer);
      resolve(true);
    };
    redis.once("ready", onReady);
  });
}
