import { dockerEngineAnswers } from "./docker-engine.ts";
import { findExecutable } from "./find-executable.ts";
import { startRedisCluster } from "./redis-cluster-process.ts";
import { EPHEMERAL_REDIS_ARGS, startRedisServer } from "./redis-server-process.ts";
import { RedisUnavailableError } from "./redis-unavailable-error.ts";

/** Where the Redis of a test run came from. */
export type RedisSource = "env" | "testcontainers" | "redis-server" | "redis-cluster";

/** A Redis the tests may use, and how to let go of it. */
export interface StartedRedis {
  /** `redis://host:port`, ready to hand to ioredis or BullMQ. */
  readonly url: string;
  readonly source: RedisSource;
  /** `host:port` of the seed nodes when it is a Redis Cluster (`url` is then one of them). */
  readonly clusterNodes?: readonly string[];
  /** Stops what `startRedis` started; does nothing for a `REDIS_URL` it was given. Idempotent. */
  stop(): Promise<void>;
}

/** Options of {@link startRedis}. */
export interface StartRedisOptions {
  /**
   * Read `LLMR_TEST_REDIS`, `REDIS_URL`, `REDIS_CLUSTER_NODES`, `DOCKER_HOST` and `PATH` from here.
   * @defaultValue `process.env`
   */
  env?: NodeJS.ProcessEnv;
  /** Time allowed to find out whether a Docker engine answers. @defaultValue 1500 */
  dockerCheckTimeoutMs?: number;
  /** The image testcontainers runs. @defaultValue `"redis:7"` */
  image?: string;
  /** Receives the one line that says which Redis is used. @defaultValue writes it to stderr */
  onInfo?: (line: string) => void;
}

/**
 * Provides a Redis for a test run, trying in order: `REDIS_URL` (used as is), a testcontainers
 * Redis when a Docker engine answers, then a `redis-server` child on a free port with a temp dir.
 * Test output says which one was used (one line on stderr), because "works here, fails in CI"
 * often comes down to which Redis the run got.
 *
 * With `LLMR_TEST_REDIS=cluster` it provides a Redis Cluster instead: `REDIS_CLUSTER_NODES` (used
 * as is) or three `redis-server` masters started with {@link startRedisCluster}.
 *
 * @throws {@link RedisUnavailableError} naming the three ways to provide Redis
 *
 * @example
 * ```ts
 * const redis = await startRedis();
 * try { await useIt(redis.url); } finally { await redis.stop(); }
 * ```
 */
export async function startRedis(options: StartRedisOptions = {}): Promise<StartedRedis> {
  const env = options.env ?? process.env;
  const info = options.onInfo ?? ((line: string) => process.stderr.write(`${line}\n`));
  const kind = env.LLMR_TEST_REDIS ?? "";
  if (kind === "cluster") return startClusterForTests(env, info);
  if (kind !== "" && kind !== "server") {
    throw new RangeError(`LLMR_TEST_REDIS="${kind}": use "server" (the default) or "cluster"`);
  }

  const fromEnv = env.REDIS_URL;
  if (fromEnv !== undefined && fromEnv !== "") {
    info(`[@llmr/testing] Redis: REDIS_URL (${redactPassword(fromEnv)})`);
    return { url: fromEnv, source: "env", stop: async () => {} };
  }

  const redisServer = findExecutable("redis-server", env.PATH ?? "");
  let dockerFailure: unknown;
  if (await dockerEngineAnswers({ env, timeoutMs: options.dockerCheckTimeoutMs ?? 1500 })) {
    try {
      const started = await startContainer(options.image ?? "redis:7");
      info(`[@llmr/testing] Redis: testcontainers (${started.url})`);
      return started;
    } catch (error) {
      // A Docker engine that can't pull or run the image shouldn't fail a run that has redis-server.
      if (redisServer === undefined) {
        throw new RedisUnavailableError(`A Docker engine answers but the Redis container did not start`, {
          cause: error,
        });
      }
      dockerFailure = error;
    }
  }

  if (redisServer !== undefined) {
    try {
      const server = await startRedisServer({ command: redisServer, args: EPHEMERAL_REDIS_ARGS });
      const why =
        dockerFailure === undefined ? "" : ` (the Docker container failed: ${describe(dockerFailure)})`;
      info(`[@llmr/testing] Redis: redis-server ${redisServer} on ${server.url}${why}`);
      return { url: server.url, source: "redis-server", stop: server.stop };
    } catch (error) {
      throw new RedisUnavailableError(`${redisServer} failed to start: ${describe(error)}`, { cause: error });
    }
  }
  throw new RedisUnavailableError();
}

/** `REDIS_CLUSTER_NODES` when set, else three masters of `redis-server` (Docker is not tried). */
async function startClusterForTests(
  env: NodeJS.ProcessEnv,
  info: (line: string) => void,
): Promise<StartedRedis> {
  const given = (env.REDIS_CLUSTER_NODES ?? "")
    .split(",")
    .map((node) => node.trim())
    .filter((node) => node !== "");
  const [first] = given;
  if (first !== undefined) {
    if (given.some((node) => node.includes("://"))) {
      throw new RangeError(
        "LLMR_TEST_REDIS=cluster takes REDIS_CLUSTER_NODES as host:port seeds, without URLs",
      );
    }
    info(`[@llmr/testing] Redis: REDIS_CLUSTER_NODES (${given.join(",")})`);
    return { url: `redis://${first}`, source: "env", clusterNodes: given, stop: async () => {} };
  }
  const redisServer = findExecutable("redis-server", env.PATH ?? "");
  if (redisServer === undefined) {
    throw new RedisUnavailableError(
      "LLMR_TEST_REDIS=cluster needs `redis-server` on PATH (or REDIS_CLUSTER_NODES=host:port,… of a running cluster)",
    );
  }
  const cluster = await startRedisCluster({ masters: 3, command: redisServer });
  info(`[@llmr/testing] Redis: a cluster of 3 redis-server masters (${cluster.seeds.join(",")})`);
  return {
    url: `redis://${cluster.seeds[0]}`,
    source: "redis-cluster",
    clusterNodes: cluster.seeds,
    stop: cluster.stop,
  };
}

async function startContainer(image: string): Promise<StartedRedis> {
  // Imported only now: testcontainers is heavy to load, and most runs here never need it.
  const { RedisContainer } = await import("@testcontainers/redis");
  const container = await new RedisContainer(image)
    .withCommand(["redis-server", ...EPHEMERAL_REDIS_ARGS])
    .start();
  let stopping: Promise<void> | undefined;
  return {
    url: container.getConnectionUrl(),
    source: "testcontainers",
    stop: () => {
      stopping ??= container.stop().then(() => undefined);
      return stopping;
    },
  };
}

function redactPassword(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password !== "") parsed.password = "***";
    return parsed.toString();
  } catch {
    return "unparsable URL";
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? (error.message.split("\n")[0] ?? error.name) : String(error);
}
