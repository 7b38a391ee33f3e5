import { createServer } from "node:net";

/**
 * Asks the OS for a TCP port that is free on 127.0.0.1 right now.
 * Another process may take it before the caller binds it: callers that spawn a server retry.
 *
 * @example
 * ```ts
 * const port = await findFreePort();
 * ```
 */
export async function findFreePort(host = "127.0.0.1"): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once("error", reject);
    server.listen(0, host, () => {
      const address = server.address();
      const port = typeof address === "object" && address !== null ? address.port : 0;
      server.close(() => (port > 0 ? resolve(port) : reject(new Error("could not get a free port"))));
    });
  });
}

/**
 * Whether `port` can be bound on `host` now (nothing listens there).
 *
 * @example
 * ```ts
 * const port = (await isPortFree(6379)) ? 6379 : await findFreePort();
 * ```
 */
export async function isPortFree(port: number, host = "127.0.0.1"): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.unref();
    server.once("error", () => resolve(false));
    server.listen(port, host, () => server.close(() => resolve(true)));
  });
}
