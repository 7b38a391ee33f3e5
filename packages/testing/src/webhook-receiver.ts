import type { IncomingMessage, ServerResponse } from "node:http";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";

/** One request a {@link WebhookReceiver} got. */
export interface ReceivedHook {
  path: string;
  headers: Record<string, string>;
  body: string;
}

/** A local webhook endpoint: the edge of the world a router test posts its webhooks to. */
export interface WebhookReceiver {
  /** `http://127.0.0.1:<port>/hook` (any path is answered). */
  readonly url: string;
  /** What it got so far, in order. */
  readonly received: ReceivedHook[];
  close(): Promise<void>;
}

/**
 * Starts a webhook receiver on a free loopback port. It answers 200 "ok", unless `respond` answers
 * a request itself (a status to refuse a try, or nothing at all to make the sender time out).
 *
 * @example
 * const receiver = await startWebhookReceiver();
 * // … submit a job with { webhook: { url: receiver.url } }, then read receiver.received
 */
export async function startWebhookReceiver(
  options: { respond?: (hook: ReceivedHook, res: ServerResponse) => boolean } = {},
): Promise<WebhookReceiver> {
  const received: ReceivedHook[] = [];
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    let body = "";
    req.on("data", (chunk: Buffer) => {
      body += chunk.toString();
    });
    req.on("end", () => {
      const hook = { path: req.url ?? "", headers: req.headers as Record<string, string>, body };
      received.push(hook);
      // `respond` returns true when it took care of the answer.
      if (!options.respond?.(hook, res)) res.writeHead(200).end("ok");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`,
    received,
    close: async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
