import { mkdtempSync, rmSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { createServer as createTcpServer, type Server as TcpServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { dockerEngineAnswers } from "../src/docker-engine.ts";
import { findFreePort } from "../src/free-port.ts";

const servers: (Server | TcpServer)[] = [];
const dirs: string[] = [];

afterEach(async () => {
  await Promise.all(
    servers.splice(0).map((server) => {
      if ("closeAllConnections" in server) server.closeAllConnections();
      return new Promise((resolve) => server.close(resolve));
    }),
  );
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A unix-socket HTTP server standing in for the Docker engine. */
async function fakeEngine(handler: Parameters<typeof createServer>[1]): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), "llmr-docker-"));
  dirs.push(dir);
  const socketPath = join(dir, "docker.sock");
  const server = createServer(handler);
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(socketPath, resolve));
  return socketPath;
}

describe("dockerEngineAnswers", () => {
  it("is true when the engine answers GET /_ping with 200", async () => {
    const socketPath = await fakeEngine((req, res) =>
      res.writeHead(req.url === "/_ping" ? 200 : 404).end("OK"),
    );

    expect(await dockerEngineAnswers({ env: { DOCKER_HOST: `unix://${socketPath}` } })).toBe(true);
  });

  it("is false when the endpoint answers with an error", async () => {
    const socketPath = await fakeEngine((_req, res) => res.writeHead(500).end());

    expect(await dockerEngineAnswers({ env: { DOCKER_HOST: `unix://${socketPath}` } })).toBe(false);
  });

  it("is false within its timeout when the endpoint never answers", async () => {
    const socketPath = await fakeEngine(() => {});
    const startedAt = performance.now();

    const answers = await dockerEngineAnswers({
      env: { DOCKER_HOST: `unix://${socketPath}` },
      timeoutMs: 200,
    });

    expect(answers).toBe(false);
    expect(performance.now() - startedAt).toBeLessThan(2000);
  });

  it("is false when the socket does not exist", async () => {
    expect(await dockerEngineAnswers({ env: { DOCKER_HOST: "unix:///nonexistent/docker.sock" } })).toBe(
      false,
    );
  });

  it("checks a tcp:// DOCKER_HOST by connecting to it", async () => {
    const server = createTcpServer((socket) => socket.end());
    servers.push(server);
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const address = server.address();
    const port = typeof address === "object" && address !== null ? address.port : 0;
    const closedPort = await findFreePort();

    expect(await dockerEngineAnswers({ env: { DOCKER_HOST: `tcp://127.0.0.1:${port}` } })).toBe(true);
    expect(await dockerEngineAnswers({ env: { DOCKER_HOST: `tcp://127.0.0.1:${closedPort}` } })).toBe(false);
  });
});
