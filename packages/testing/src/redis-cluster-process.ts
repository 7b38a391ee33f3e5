import { setTimeout as delay } from "node:timers/promises";
import { isPortFree } from "./free-port.ts";
import { sendRedisCommand } from "./redis-ping.ts";
import { EPHEMERAL_REDIS_ARGS, type RedisServerProcess, startRedisServer } from "./redis-server-process.ts";

/** Redis Cluster divides the key space into this many hash slots. */
const CLUSTER_SLOTS = 16_384;
/** A node's cluster bus listens on its port + 10000 (unless `cluster-port` says otherwise, Redis 7+ only). */
const BUS_PORT_OFFSET = 10_000;
/** Client ports are drawn from here, so that the bus port stays below 65536 on every Redis version. */
const LOWEST_PORT = 20_000;
const PORT_RANGE = 20_000;
const START_ATTEMPTS = 5;

/** Options of {@link startRedisCluster}. */
export interface RedisClusterOptions {
  /** Master nodes; the slots are split evenly between them. @defaultValue 3 */
  masters?: number;
  /** The executable. @defaultValue `"redis-server"` (looked up on PATH) */
  command?: string;
  /** Flags of every node after the cluster ones. @defaultValue {@link EPHEMERAL_REDIS_ARGS} */
  args?: readonly string[];
  /** How long the cluster may take to say `cluster_state:ok` on every node. @defaultValue 20000 */
  readyTimeoutMs?: number;
}

/** A running Redis Cluster of `redis-server` children, each in its own temp dir. */
export interface RedisClusterProcess {
  /** The masters, in slot order (the first holds slot 0). */
  readonly nodes: readonly RedisServerProcess[];
  /** `127.0.0.1:<port>` of every node: what `REDIS_CLUSTER_NODES` takes, comma-separated. */
  readonly seeds: readonly string[];
  /**
   * The flags every node was started with after `--port/--bind/--dir`: a test that kills a node
   * brings it back with `startRedisServer({ port, dir, args: cluster.nodeArgs })`, and it rejoins
   * with its slots (its `nodes.conf` is in its dir).
   */
  readonly nodeArgs: readonly string[];
  /** Stops every node and removes their dirs. Idempotent. */
  stop(): Promise<void>;
}

/**
 * Starts a Redis Cluster of `masters` nodes with no replicas on 127.0.0.1, the way
 * `redis-cli --cluster create` would (each node gets its config epoch, a contiguous share of the
 * slots, and meets the others), but with plain commands: nothing beyond `redis-server` is needed.
 * Resolves once every node reports `cluster_state:ok` and knows every other node.
 *
 * @throws Error with the failing node's words when a node does not start or the cluster does not form
 *
 * @example
 * ```ts
 * const cluster = await startRedisCluster({ masters: 3 });
 * startAppProcess("worker", { REDIS_CLUSTER_NODES: cluster.seeds.join(",") });
 * // ...
 * await cluster.stop();
 * ```
 */
export async function startRedisCluster(options: RedisClusterOptions = {}): Promise<RedisClusterProcess> {
  const masters = options.masters ?? 3;
  if (!Number.isInteger(masters) || masters < 1) throw new RangeError(`masters must be ≥ 1, got ${masters}`);
  const nodes: RedisServerProcess[] = [];
  const nodeArgs = [
    "--cluster-enabled",
    "yes",
    // Relative to the node's own --dir, so nodes never share their state file.
    "--cluster-config-file",
    "nodes.conf",
    // Short: a test cluster has no failover to wait for, only a gossip to settle.
    "--cluster-node-timeout",
    "2000",
    ...(options.args ?? EPHEMERAL_REDIS_ARGS),
  ];
  const stop = async () => {
    await Promise.all(nodes.map((node) => node.stop()));
  };
  try {
    for (let i = 0; i < masters; i++) nodes.push(await startClusterNode(nodeArgs, options.command));
    await formCluster(nodes.map((node) => node.port));
    await waitForClusterOk(
      nodes.map((node) => node.port),
      options.readyTimeoutMs ?? 20_000,
    );
  } catch (error) {
    await stop();
    throw error;
  }
  return { nodes, seeds: nodes.map((node) => `127.0.0.1:${node.port}`), nodeArgs, stop };
}

/** One cluster-enabled node, on a port whose bus port (+10000) is free as well. */
async function startClusterNode(args: readonly string[], command?: string): Promise<RedisServerProcess> {
  let lastError: unknown;
  for (let attempt = 1; attempt <= START_ATTEMPTS; attempt++) {
    const port = LOWEST_PORT + Math.floor(Math.random() * PORT_RANGE);
    if (!(await isPortFree(port)) || !(await isPortFree(port + BUS_PORT_OFFSET))) continue;
    try {
      return await startRedisServer({ port, args, ...(command ? { command } : {}) });
    } catch (error) {
      lastError = error; // most likely someone took the port in between: draw another
    }
  }
  throw new Error(`no cluster node started after ${START_ATTEMPTS} attempts`, { cause: lastError });
}

/** Distinct config epochs, contiguous slot ranges, then every node meets the first. */
async function formCluster(ports: readonly number[]): Promise<void> {
  const perNode = Math.ceil(CLUSTER_SLOTS / ports.length);
  for (const [i, port] of ports.entries()) {
    await expectOk(port, ["CLUSTER", "SET-CONFIG-EPOCH", String(i + 1)]);
    const first = i * perNode;
    const last = Math.min(CLUSTER_SLOTS, first + perNode) - 1;
    // ADDSLOTS (not ADDSLOTSRANGE, Redis 7+) so that the Redis 6 of older distributions works too.
    const slots = Array.from({ length: last - first + 1 }, (_, k) => String(first + k));
    await expectOk(port, ["CLUSTER", "ADDSLOTS", ...slots]);
  }
  const [firstPort, ...others] = ports;
  for (const port of others)
    await expectOk(firstPort ?? port, ["CLUSTER", "MEET", "127.0.0.1", String(port)]);
}

async function expectOk(port: number, args: readonly string[]): Promise<void> {
  const reply = await sendRedisCommand("127.0.0.1", port, args, 5_000);
  if (reply !== "+OK") {
    throw new Error(`127.0.0.1:${port} answered ${args.slice(0, 2).join(" ")} with ${reply ?? "nothing"}`);
  }
}

/** Polls `CLUSTER INFO` on every node: gossip gives no event to await. */
async function waitForClusterOk(ports: readonly number[], timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = "";
  for (;;) {
    const infos = await Promise.all(
      ports.map((port) => sendRedisCommand("127.0.0.1", port, ["CLUSTER", "INFO"])),
    );
    const settled = infos.every(
      (info) =>
        info?.includes("cluster_state:ok") &&
        info.includes(`cluster_slots_ok:${CLUSTER_SLOTS}`) &&
        info.includes(`cluster_known_nodes:${ports.length}\r`),
    );
    if (settled) return;
    last = infos.map((info, i) => `${ports[i]}: ${info?.split("\r\n").slice(0, 6).join(" ")}`).join("\n");
    if (Date.now() > deadline) throw new Error(`the cluster did not form within ${timeoutMs} ms:\n${last}`);
    await delay(50);
  }
}
