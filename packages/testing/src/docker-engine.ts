import { existsSync } from "node:fs";
import { request } from "node:http";
import { connect } from "node:net";
import { homedir } from "node:os";
import { join } from "node:path";

/** Where Docker Engine, Docker Desktop, Colima, Rancher Desktop and OrbStack put their socket. */
function wellKnownSockets(env: NodeJS.ProcessEnv): string[] {
  const home = homedir();
  return [
    "/var/run/docker.sock",
    ...(env.XDG_RUNTIME_DIR ? [join(env.XDG_RUNTIME_DIR, "docker.sock")] : []),
    join(home, ".docker/run/docker.sock"),
    join(home, ".docker/desktop/docker.sock"),
    join(home, ".colima/default/docker.sock"),
    join(home, ".rd/docker.sock"),
    join(home, ".orbstack/run/docker.sock"),
  ];
}

/** Options of {@link dockerEngineAnswers}. */
export interface DockerEngineCheckOptions {
  /** Time allowed per endpoint. @defaultValue 1500 */
  timeoutMs?: number;
  /** Read `DOCKER_HOST` from here. @defaultValue `process.env` */
  env?: NodeJS.ProcessEnv;
}

/**
 * Whether a Docker engine answers, checked cheaply before testcontainers is even imported: a
 * `docker` CLI may exist with no engine behind it, and testcontainers would then spend a long
 * time discovering that. Honours `DOCKER_HOST` (`unix://…` is pinged, `tcp://…` gets a TCP
 * connect, since TLS endpoints can't be pinged without certificates); without it, the usual
 * socket paths are tried.
 *
 * @example
 * ```ts
 * if (await dockerEngineAnswers({ timeoutMs: 1000 })) { ... }
 * ```
 */
export async function dockerEngineAnswers(options: DockerEngineCheckOptions = {}): Promise<boolean> {
  const { timeoutMs = 1500, env = process.env } = options;
  const dockerHost = env.DOCKER_HOST;
  if (dockerHost !== undefined && dockerHost !== "") {
    if (dockerHost.startsWith("unix://"))
      return pingDockerSocket(dockerHost.slice("unix://".length), timeoutMs);
    if (dockerHost.startsWith("tcp://")) {
      const url = new URL(dockerHost);
      return tcpConnects(url.hostname, Number(url.port || 2375), timeoutMs);
    }
    return false;
  }
  for (const socketPath of wellKnownSockets(env)) {
    if (existsSync(socketPath) && (await pingDockerSocket(socketPath, timeoutMs))) return true;
  }
  return false;
}

/** `GET /_ping` over a unix socket: the engine answers `200 OK`. */
export async function pingDockerSocket(socketPath: string, timeoutMs: number): Promise<boolean> {
  return new Promise((resolve) => {
    const req = request({ socketPath, path: "/_ping", method: "GET", timeout: timeoutMs }, (res) => {
      res.resume();
      resolve(res.statusCode === 200);
    });
    req.once("timeout", () => req.destroy());
    req.once("error", () => resolve(false));
    req.end();
  });
}

async function tcpConnects(host: string, port: number, timeoutMs: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    const finish = (connected: boolean) => {
      socket.destroy();
      resolve(connected);
    };
    socket.setTimeout(timeoutMs, () => finish(false));
    socket.once("error", () => finish(false));
    socket.once("connect", () => finish(true));
  });
}
