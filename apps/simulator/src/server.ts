/**
 * Starts and stops the simulator's HTTP server. Built on `node:http` directly because fault injection
 * needs the raw socket (to hang, reset, or pace bytes) and an exact view of when a client leaves.
 */
import { createServer, type Server } from "node:http";
import type { Socket } from "node:net";
import { sendJson } from "./http-io.ts";
import { resolveOptions, type SimulatorOptions } from "./options.ts";
import { readReplayFiles } from "./replay-files.ts";
import { buildReplayIndex } from "./replay-index.ts";
import { route } from "./routes.ts";
import { createRuntime, resetRuntime, statsOf } from "./runtime.ts";
import type { SimulatorStats } from "./stats.ts";

/** A simulator that is listening. */
export interface RunningSimulator {
  /** `http://127.0.0.1:PORT`: the Anthropic SDK's `baseURL`; the OpenAI SDK's is `${url}/v1`. */
  url: string;
  port: number;
  /** The counters also served at `GET /_sim/stats`. */
  stats(): SimulatorStats;
  /** Replay mode's files, conversations and models; undefined when every answer is generated. */
  replay: ReplaySummary | undefined;
  /** Zeroes the counters, the `times=` counts and the rate-limit windows. */
  reset(): void;
  /** Stops listening and destroys every open connection, hanging requests included. */
  close(): Promise<void>;
}

/** What replay mode read at start. */
export interface ReplaySummary {
  files: string[];
  /** Distinct recorded conversations. */
  conversations: number;
  /** Models with at least one recorded answer. */
  models: string[];
}

/**
 * Starts a simulator. With `replay`, its files are read first; a file that cannot be read or holds a
 * malformed line rejects with a `ReplayFileError` naming the file and line.
 *
 * @example
 * const sim = await startSimulator({ latencyScale: 0 });
 * const openai = new OpenAI({ baseURL: `${sim.url}/v1`, apiKey: "sk-test", maxRetries: 0 });
 * const anthropic = new Anthropic({ baseURL: sim.url, apiKey: "sk-ant-test", maxRetries: 0 });
 * await sim.close();
 */
export async function startSimulator(options: SimulatorOptions = {}): Promise<RunningSimulator> {
  const resolved = resolveOptions(options);
  const replay =
    resolved.replayFiles.length > 0
      ? buildReplayIndex(await readReplayFiles(resolved.replayFiles))
      : undefined;
  const runtime = createRuntime(resolved, replay);
  const sockets = new Set<Socket>();
  runtime.openConnections = () => sockets.size;

  const server = createServer((req, res) => {
    route(runtime, req, res).catch((error: unknown) => {
      // A bug, not a simulated failure: answer 500 if still possible so the client is not left hanging.
      if (!res.headersSent) {
        sendJson(res, 500, {
          error: {
            message: `simulator bug: ${String(error)}`,
            type: "server_error",
            param: null,
            code: null,
          },
        });
      } else {
        res.destroy();
      }
    });
  });
  server.on("connection", (socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  await listen(server, resolved.port, resolved.host);

  const address = server.address();
  const port = typeof address === "object" && address ? address.port : resolved.port;
  const hostForUrl = resolved.host.includes(":") ? `[${resolved.host}]` : resolved.host;
  let closed: Promise<void> | undefined;

  return {
    url: `http://${hostForUrl}:${port}`,
    port,
    replay: replay && {
      files: [...resolved.replayFiles],
      conversations: replay.size,
      models: [...replay.models],
    },
    stats: () => statsOf(runtime),
    reset: () => resetRuntime(runtime),
    close: () => {
      closed ??= new Promise<void>((resolve) => {
        runtime.closing = true;
        for (const controller of runtime.inFlight) controller.abort();
        server.close(() => resolve());
        // Idle keep-alive sockets and hanging requests would otherwise keep close() waiting.
        server.closeAllConnections();
      });
      return closed;
    },
  };
}

function listen(server: Server, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
}
