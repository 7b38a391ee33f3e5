import { connect } from "node:net";
import { setTimeout as delay } from "node:timers/promises";

/**
 * Sends one command to a Redis at `host:port` over a raw socket and returns its reply as text:
 * `+PONG`, `-ERR …`, or the payload of a bulk string. A raw socket instead of ioredis: nothing
 * to configure, nothing that reconnects or queues commands behind our back while a server is
 * still starting. Handles the three reply kinds the callers need, not all of RESP.
 *
 * @returns the reply, or `undefined` when nothing (complete) came back within `timeoutMs`
 *
 * @example
 * ```ts
 * await sendRedisCommand("127.0.0.1", 6379, ["INFO", "server"]);
 * ```
 */
export async function sendRedisCommand(
  host: string,
  port: number,
  args: readonly string[],
  timeoutMs = 1000,
): Promise<string | undefined> {
  const request = `*${args.length}\r\n${args.map((arg) => `$${Buffer.byteLength(arg)}\r\n${arg}\r\n`).join("")}`;
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    let reply = Buffer.alloc(0);
    const finish = (value: string | undefined) => {
      socket.destroy();
      resolve(value);
    };
    socket.setTimeout(timeoutMs, () => finish(undefined));
    socket.once("error", () => finish(undefined));
    socket.once("close", () => finish(undefined));
    socket.once("connect", () => socket.write(request));
    socket.on("data", (chunk: Buffer) => {
      reply = Buffer.concat([reply, chunk]);
      const parsed = parseReply(reply);
      if (parsed !== undefined) finish(parsed);
    });
  });
}

/** The reply once complete: simple strings and errors keep their `+`/`-`, bulk strings are unwrapped. */
function parseReply(reply: Buffer): string | undefined {
  const headerEnd = reply.indexOf("\r\n");
  if (headerEnd < 0) return undefined;
  const header = reply.subarray(0, headerEnd).toString("utf8");
  if (!header.startsWith("$")) return header;
  const length = Number(header.slice(1));
  if (length < 0) return "";
  const bodyStart = headerEnd + 2;
  if (reply.length < bodyStart + length) return undefined;
  return reply.subarray(bodyStart, bodyStart + length).toString("utf8");
}

/**
 * Whether a Redis at `host:port` answers `PING` with `PONG`. A server still loading its AOF
 * answers `-LOADING`, one that wants a password `-NOAUTH`: both count as "not ready".
 *
 * @param timeoutMs - give up after this long; @defaultValue 1000
 *
 * @example
 * ```ts
 * if (await pingRedis("127.0.0.1", 6379)) console.log("up");
 * ```
 */
export async function pingRedis(host: string, port: number, timeoutMs = 1000): Promise<boolean> {
  return (await sendRedisCommand(host, port, ["PING"], timeoutMs)) === "+PONG";
}

/**
 * The `process_id` a Redis reports in `INFO server`: tells our server apart from another one
 * that already listens on the same port.
 *
 * @example
 * ```ts
 * const pid = await redisProcessId("127.0.0.1", 6379);
 * ```
 */
export async function redisProcessId(
  host: string,
  port: number,
  timeoutMs = 1000,
): Promise<number | undefined> {
  const info = await sendRedisCommand(host, port, ["INFO", "server"], timeoutMs);
  const match = info?.match(/^process_id:(\d+)\r?$/m);
  return match?.[1] === undefined ? undefined : Number(match[1]);
}

/** Options of {@link waitForRedis}. */
export interface WaitForRedisOptions {
  /** Give up after this long. @defaultValue 10000 */
  timeoutMs?: number;
  /** Pause between attempts. @defaultValue 25 */
  intervalMs?: number;
  /** Only a server with this process id counts: another one on the same port is not ours. */
  expectedPid?: number;
  /** Stop early (with an error) when this returns a reason, e.g. "redis-server exited with code 1". */
  abortReason?: () => string | undefined;
}

/**
 * Polls until the server answers. A starting server gives no other signal we can await: it
 * either accepts connections or it doesn't, so polling is the honest way to wait.
 *
 * @throws Error naming the address, after `timeoutMs` or as soon as `abortReason` returns a reason
 *
 * @example
 * ```ts
 * await waitForRedis("127.0.0.1", port, { abortReason: () => exited ? "exited" : undefined });
 * ```
 */
export async function waitForRedis(
  host: string,
  port: number,
  options: WaitForRedisOptions = {},
): Promise<void> {
  const { timeoutMs = 10_000, intervalMs = 25, expectedPid, abortReason } = options;
  const deadline = Date.now() + timeoutMs;
  const attemptTimeoutMs = Math.min(1000, timeoutMs);
  for (;;) {
    const reason = abortReason?.();
    if (reason !== undefined) throw new Error(`Redis at ${host}:${port} will not answer: ${reason}`);
    if (await pingRedis(host, port, attemptTimeoutMs)) {
      if (expectedPid === undefined || (await redisProcessId(host, port, attemptTimeoutMs)) === expectedPid)
        return;
    }
    if (Date.now() >= deadline) {
      throw new Error(`Redis at ${host}:${port} did not answer PING within ${timeoutMs} ms`);
    }
    await delay(intervalMs);
  }
}
