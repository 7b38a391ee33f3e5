import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { findFreePort } from "./free-port.ts";
import { waitForRedis } from "./redis-ping.ts";

/** Flags for a throwaway test server: nothing persisted, and errors instead of silent evictions. */
export const EPHEMERAL_REDIS_ARGS: readonly string[] = [
  "--save",
  "",
  "--appendonly",
  "no",
  "--maxmemory-policy",
  "noeviction",
];

/** Options of {@link startRedisServer}. */
export interface RedisServerOptions {
  /** The executable. @defaultValue `"redis-server"` (looked up on PATH) */
  command?: string;
  /** TCP port on 127.0.0.1. @defaultValue a free port, retried if another process grabs it first */
  port?: number;
  /** Working directory for RDB/AOF files. @defaultValue a new temp dir, removed by `stop()` */
  dir?: string;
  /** Flags after `--port/--bind/--dir`. @defaultValue {@link EPHEMERAL_REDIS_ARGS} */
  args?: readonly string[];
  /** Receives every line the server prints. @defaultValue lines are only kept for error messages */
  onOutput?: (line: string) => void;
  /** Own process group, so a terminal's Ctrl-C doesn't reach it before its clients stop. @defaultValue false */
  detached?: boolean;
  /** How long to wait for the first `PONG`. @defaultValue 10000 */
  startTimeoutMs?: number;
  /** How long `stop()` waits after SIGTERM before SIGKILL. @defaultValue 10000 */
  stopTimeoutMs?: number;
}

/** A running `redis-server` child. */
export interface RedisServerProcess {
  readonly url: string;
  readonly port: number;
  readonly pid: number;
  readonly dir: string;
  /** Settles when the process exits, for any reason, with its exit code or signal. */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** SIGTERM (Redis then flushes its AOF and exits), SIGKILL after `stopTimeoutMs`. Idempotent. */
  stop(): Promise<void>;
}

const RECENT_OUTPUT_LINES = 20;
const PORT_ATTEMPTS = 3;

/**
 * Starts `redis-server` on 127.0.0.1 and resolves once it answers `PING`.
 *
 * @throws Error with the server's last output lines when it exits or stays silent
 *
 * @example
 * ```ts
 * const redis = await startRedisServer();
 * // ... use redis.url ...
 * await redis.stop();
 * ```
 */
export async function startRedisServer(options: RedisServerOptions = {}): Promise<RedisServerProcess> {
  const attempts = options.port === undefined ? PORT_ATTEMPTS : 1;
  let lastError: unknown;
  for (let attempt = 1; attempt <= attempts; attempt++) {
    const port = options.port ?? (await findFreePort());
    try {
      return await startOnPort(port, options);
    } catch (error) {
      lastError = error;
    }
  }
  throw lastError;
}

async function startOnPort(port: number, options: RedisServerOptions): Promise<RedisServerProcess> {
  const ownsDir = options.dir === undefined;
  const dir = options.dir ?? mkdtempSync(join(tmpdir(), "llmr-redis-"));
  const args = [
    "--port",
    String(port),
    "--bind",
    "127.0.0.1",
    "--dir",
    dir,
    ...(options.args ?? EPHEMERAL_REDIS_ARGS),
  ];
  const child = spawn(options.command ?? "redis-server", args, {
    stdio: ["ignore", "pipe", "pipe"],
    detached: options.detached ?? false,
  });
  const recentOutput: string[] = [];
  for (const stream of [child.stdout, child.stderr]) {
    createInterface({ input: stream }).on("line", (line) => {
      recentOutput.push(line);
      if (recentOutput.length > RECENT_OUTPUT_LINES) recentOutput.shift();
      options.onOutput?.(line);
    });
  }
  let exitReason: string | undefined;
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.once("error", (error) => {
      exitReason = `could not run ${options.command ?? "redis-server"}: ${error.message}`;
      resolve({ code: null, signal: null });
    });
    child.once("exit", (code, signal) => {
      exitReason ??= `exited with ${signal ?? `code ${code}`}`;
      resolve({ code, signal });
    });
  });
  const removeDir = () => {
    if (ownsDir) rmSync(dir, { recursive: true, force: true });
  };
  // Last resort when the parent exits without calling stop() (vitest exits on SIGTERM without
  // running global teardown): don't leave a server behind holding a port.
  const killOnParentExit = () => {
    child.kill("SIGTERM");
    removeDir();
  };
  process.once("exit", killOnParentExit);

  let stopping: Promise<void> | undefined;
  const stop = () => {
    stopping ??= (async () => {
      process.off("exit", killOnParentExit);
      await terminate(child, exited, options.stopTimeoutMs ?? 10_000);
      removeDir();
    })();
    return stopping;
  };

  try {
    await waitForRedis("127.0.0.1", port, {
      timeoutMs: options.startTimeoutMs ?? 10_000,
      expectedPid: child.pid,
      abortReason: () => exitReason,
    });
  } catch (error) {
    await stop();
    const output = recentOutput.length > 0 ? `\n${recentOutput.join("\n")}` : "";
    throw new Error(`redis-server on port ${port} did not start${output}`, { cause: error });
  }
  return { url: `redis://127.0.0.1:${port}`, port, pid: child.pid ?? -1, dir, exited, stop };
}

async function terminate(
  child: ChildProcess,
  exited: Promise<unknown>,
  stopTimeoutMs: number,
): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return;
  child.kill("SIGTERM");
  const timer = setTimeout(() => child.kill("SIGKILL"), stopTimeoutMs);
  await exited;
  clearTimeout(timer);
}
