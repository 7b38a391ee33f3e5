import { spawnSync } from "node:child_process";
import { mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { setTimeout as delay } from "node:timers/promises";
import { findExecutable } from "../../packages/testing/src/find-executable.ts";
import { findFreePort, isPortFree } from "../../packages/testing/src/free-port.ts";
import { redisProcessId, waitForRedis } from "../../packages/testing/src/redis-ping.ts";
import { startRedisServer } from "../../packages/testing/src/redis-server-process.ts";
import { type ChildExit, startManagedChild } from "./managed-child.ts";

/** Durable and strict: jobs survive a restart (AOF), and a full Redis refuses writes instead of evicting jobs. */
const PERSISTENT_REDIS_ARGS = ["--appendonly", "yes", "--maxmemory-policy", "noeviction", "--save", ""];
const CONTAINER_NAME = "llmr-redis";
const CONTAINER_VOLUME = "llmr-redis-data";
const STOP_GRACE_MS = 10_000;
/** Replaying a large AOF, or pulling the image, takes a while. */
const START_TIMEOUT_MS = 120_000;

/** The Redis of `npm start`. */
export interface StackRedis {
  url: string;
  /** One line for the banner: where it comes from and where its data lives. */
  description: string;
  /** Settles if the Redis we started dies; never for a `REDIS_URL` we were given. */
  exited: Promise<ChildExit>;
  /** Lets it flush its AOF and exit. */
  stop(): Promise<void>;
}

/** Options of {@link startStackRedis}. */
export interface StackRedisOptions {
  env: NodeJS.ProcessEnv;
  root: string;
  /** Prints one line of Redis's own output. */
  output: (line: string) => void;
  /** Says what the stack is doing. */
  say: (message: string) => void;
}

/**
 * `REDIS_URL` if set; else a `redis-server` child with its data in .data/redis; else a `redis:7`
 * container if a Docker engine answers.
 *
 * @throws Error naming the three ways to provide Redis
 */
export async function startStackRedis(options: StackRedisOptions): Promise<StackRedis> {
  const { env } = options;
  if (env.REDIS_URL) {
    return {
      url: env.REDIS_URL,
      description: "REDIS_URL from your environment",
      exited: new Promise(() => {}),
      stop: async () => {},
    };
  }
  const redisServer = findExecutable("redis-server", env.PATH ?? "");
  if (redisServer !== undefined) return startLocal(redisServer, options);
  if (dockerEngineAnswers(env)) return startContainer(options);
  throw new Error(
    "no Redis: set REDIS_URL=redis://host:port, install redis-server (apt-get install redis-server / " +
      "brew install redis), or start a Docker engine.",
  );
}

async function choosePort(options: StackRedisOptions): Promise<number> {
  const wanted = Number(options.env.REDIS_PORT ?? 6379);
  if (await isPortFree(wanted)) return wanted;
  const port = await findFreePort();
  options.say(`port ${wanted} is busy (another Redis?); our Redis uses port ${port} instead`);
  return port;
}

async function startLocal(command: string, options: StackRedisOptions): Promise<StackRedis> {
  const dir = join(options.root, ".data/redis");
  const pidFile = join(dir, "redis.pid");
  mkdirSync(dir, { recursive: true });
  await stopLeftover(pidFile, Number(options.env.REDIS_PORT ?? 6379), options);
  const port = await choosePort(options);
  const server = await startRedisServer({
    command,
    port,
    dir,
    args: [...PERSISTENT_REDIS_ARGS, "--pidfile", pidFile],
    onOutput: options.output,
    detached: true,
    startTimeoutMs: START_TIMEOUT_MS,
    stopTimeoutMs: STOP_GRACE_MS,
  });
  return {
    url: server.url,
    description: `redis-server on 127.0.0.1:${port}, data in .data/redis`,
    exited: server.exited,
    stop: server.stop,
  };
}

/**
 * A previous `npm start` that was SIGKILLed leaves its redis-server behind, holding the port and
 * the AOF in .data/redis; a second server on the same files would be worse than stopping it.
 */
async function stopLeftover(pidFile: string, port: number, options: StackRedisOptions): Promise<void> {
  let pid: number;
  try {
    pid = Number(readFileSync(pidFile, "utf8").trim());
  } catch {
    return;
  }
  if (!Number.isInteger(pid) || pid <= 0 || !isAlive(pid)) return;
  // The pid file is only trusted if the Redis on our port says it is that process.
  if ((await redisProcessId("127.0.0.1", port)) !== pid) return;
  options.say(`a Redis left by an earlier run (pid ${pid}) still uses .data/redis; stopping it first`);
  process.kill(pid, "SIGTERM");
  const deadline = Date.now() + STOP_GRACE_MS;
  while (isAlive(pid) && Date.now() < deadline) await delay(50);
  if (isAlive(pid)) process.kill(pid, "SIGKILL");
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function dockerEngineAnswers(env: NodeJS.ProcessEnv): boolean {
  if (findExecutable("docker", env.PATH ?? "") === undefined) return false;
  const info = spawnSync("docker", ["info", "--format", "{{.ServerVersion}}"], {
    env,
    stdio: "ignore",
    timeout: 5000,
  });
  return info.status === 0;
}

async function startContainer(options: StackRedisOptions): Promise<StackRedis> {
  const { env } = options;
  // A container left by a run that was killed would hold the name.
  spawnSync("docker", ["rm", "--force", CONTAINER_NAME], { env, stdio: "ignore" });
  const port = await choosePort(options);
  options.say(`starting redis:7 in Docker (container ${CONTAINER_NAME}, volume ${CONTAINER_VOLUME})`);
  const child = startManagedChild({
    name: "redis",
    command: "docker",
    // No --bind inside the container: the port is published on the host's 127.0.0.1 only.
    args: [
      "run",
      "--rm",
      "--name",
      CONTAINER_NAME,
      "--publish",
      `127.0.0.1:${port}:6379`,
      "--volume",
      `${CONTAINER_VOLUME}:/data`,
      "redis:7",
      "redis-server",
      ...PERSISTENT_REDIS_ARGS,
    ],
    env,
    cwd: options.root,
    onLine: options.output,
  });
  let exitReason: string | undefined;
  void child.exited.then((exit) => {
    exitReason = `docker run exited (code ${exit.code ?? exit.signal})`;
  });
  await waitForRedis("127.0.0.1", port, { timeoutMs: START_TIMEOUT_MS, abortReason: () => exitReason });
  let stopping: Promise<void> | undefined;
  return {
    url: `redis://127.0.0.1:${port}`,
    description: `redis:7 in Docker on 127.0.0.1:${port}, data in volume ${CONTAINER_VOLUME}`,
    exited: child.exited,
    stop: () => {
      // `docker stop` sends SIGTERM inside the container (AOF flushed), SIGKILL after the grace.
      stopping ??= (async () => {
        spawnSync("docker", ["stop", "--time", String(STOP_GRACE_MS / 1000), CONTAINER_NAME], {
          env,
          stdio: "ignore",
        });
        await child.stop(STOP_GRACE_MS);
      })();
      return stopping;
    },
  };
}
