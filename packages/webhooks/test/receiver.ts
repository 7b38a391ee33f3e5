import type { IncomingHttpHeaders, ServerResponse } from "node:http";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";

/** One request a {@link Receiver} got. */
export interface ReceivedRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
}

/** How the receiver answers its n-th request (1-based): a status, or never answering at all. */
export type Reply = { status: number; headers?: Record<string, string>; body?: string } | "hang";

/** A webhook receiver on 127.0.0.1 that answers from a script and remembers what it got. */
export interface Receiver {
  url: string;
  requests: ReceivedRequest[];
  /** TCP connections accepted so far (a refused connection must leave this at 0). */
  connections: number;
  /** Answers every request held by a `"hang"` reply with `status`. */
  release(status: number): void;
  /** Resolves when the receiver has got `count` requests in all. */
  received(count: number): Promise<ReceivedRequest[]>;
  close(): Promise<void>;
}

/**
 * Starts a real HTTP server on 127.0.0.1 (the edge of the world in these tests: a fake receiver,
 * real HTTP). `script(n)` decides the answer to the n-th request.
 */
export async function startReceiver(
  script: (n: number) => Reply = () => ({ status: 200 }),
): Promise<Receiver> {
  const requests: ReceivedRequest[] = [];
  const waiters: { count: number; resolve: (requests: ReceivedRequest[]) => void }[] = [];
  const hanging: ServerResponse[] = [];
  let connections = 0;

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      requests.push({
        method: req.method ?? "",
        path: req.url ?? "",
        headers: req.headers,
        body: Buffer.concat(chunks).toString("utf8"),
      });
      const reply = script(requests.length);
      if (reply === "hang") {
        hanging.push(res);
      } else {
        res.writeHead(reply.status, reply.headers);
        res.end(reply.body ?? "");
      }
      for (const waiter of waiters.filter((w) => requests.length >= w.count)) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve([...requests]);
      }
    });
  });
  server.on("connection", () => {
    connections++;
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    get connections() {
      return connections;
    },
    release: (status) => {
      for (const res of hanging.splice(0)) res.writeHead(status).end();
    },
    received: (count) =>
      requests.length >= count
        ? Promise.resolve([...requests])
        : new Promise((resolve) => waiters.push({ count, resolve })),
    close: async () => {
      for (const res of hanging) res.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** The three Standard Webhooks headers of a received request, as the verifier takes them. */
export function webhookHeaders(request: ReceivedRequest): Record<string, string> {
  const pick = (name: string) => {
    const value = request.headers[name];
    return typeof value === "string" ? value : "";
  };
  return {
    "webhook-id": pick("webhook-id"),
    "webhook-timestamp": pick("webhook-timestamp"),
    "webhook-signature": pick("webhook-signature"),
  };
}
