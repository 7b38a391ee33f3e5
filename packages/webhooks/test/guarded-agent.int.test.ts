import { request } from "undici";
import { afterEach, describe, expect, it } from "vitest";
import { BlockedAddressError } from "../src/errors/blocked-address-error.ts";
import { checkWebhookUrl } from "../src/ssrf/check-webhook-url.ts";
import { createGuardedAgent } from "../src/ssrf/guarded-agent.ts";
import type { Resolver } from "../src/ssrf/resolver.ts";
import type { Receiver } from "./receiver.ts";
import { startReceiver } from "./receiver.ts";

/**
 * DNS rebinding: the first answer (when the URL is registered) is public, every later one (when
 * it is dialled) is the loopback address where our receiver listens.
 */
function rebindingResolver(): Resolver & { calls: number } {
  const resolver = Object.assign(
    async () => {
      resolver.calls++;
      return resolver.calls === 1
        ? [{ address: "93.184.215.14", family: 4 as const }]
        : [{ address: "127.0.0.1", family: 4 as const }];
    },
    { calls: 0 },
  );
  return resolver;
}

let receiver: Receiver | undefined;
const agents: ReturnType<typeof createGuardedAgent>[] = [];
afterEach(async () => {
  await receiver?.close();
  receiver = undefined;
  await Promise.all(agents.splice(0).map((agent) => agent.close()));
});

function agent(options: Parameters<typeof createGuardedAgent>[0]) {
  const created = createGuardedAgent(options);
  agents.push(created);
  return created;
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error("the request was expected to fail");
}

describe("the connect-time SSRF guard", () => {
  it("refuses a DNS rebinding attempt: public at registration, loopback when dialled", async () => {
    receiver = await startReceiver();
    const port = new URL(receiver.url).port;
    const resolve = rebindingResolver();
    const url = `http://rebind.example.com:${port}/hook`;

    await expect(checkWebhookUrl(url, { resolve })).resolves.toMatchObject({ ok: true });
    const error = await rejection(
      request(url, { method: "POST", body: "{}", dispatcher: agent({ resolve }) }),
    );

    expect(error).toBeInstanceOf(BlockedAddressError);
    expect((error as Error).message).toBe(
      "refused to connect to 127.0.0.1, a loopback address: webhooks only go to public addresses",
    );
    expect(resolve.calls).toBe(2);
    expect(receiver.connections).toBe(0);
  });

  it.each([
    "http://127.0.0.1:PORT/hook",
    "http://2130706433:PORT/hook",
    "http://0x7f000001:PORT/hook",
    "http://[::ffff:127.0.0.1]:PORT/hook",
  ])("refuses the IP-literal loopback URL %s before connecting", async (template) => {
    receiver = await startReceiver();
    const url = template.replace("PORT", new URL(receiver.url).port);
    const error = await rejection(request(url, { method: "POST", body: "{}", dispatcher: agent({}) }));
    expect(error).toBeInstanceOf(BlockedAddressError);
    expect(receiver.connections).toBe(0);
  });

  it("refuses a name when any one of its records points inward", async () => {
    receiver = await startReceiver();
    const resolve: Resolver = async () => [
      { address: "93.184.215.14", family: 4 },
      { address: "127.0.0.1", family: 4 },
    ];
    const url = `http://mixed.example.com:${new URL(receiver.url).port}/hook`;
    const error = await rejection(
      request(url, { method: "POST", body: "{}", dispatcher: agent({ resolve }) }),
    );
    expect(error).toBeInstanceOf(BlockedAddressError);
    expect(receiver.connections).toBe(0);
  });

  it("lets 127.0.0.1 through when private targets are allowed", async () => {
    receiver = await startReceiver(() => ({ status: 204 }));
    const response = await request(`${receiver.url}/hook`, {
      method: "POST",
      body: "{}",
      dispatcher: agent({ allowPrivate: true }),
    });
    await response.body.dump();
    expect(response.statusCode).toBe(204);
    expect(receiver.requests).toHaveLength(1);
  });

  it("resolves names with the injected resolver when private targets are allowed", async () => {
    receiver = await startReceiver(() => ({ status: 200 }));
    const resolve: Resolver = async () => [{ address: "127.0.0.1", family: 4 }];
    const url = `http://receiver.test:${new URL(receiver.url).port}/hook`;
    const response = await request(url, {
      method: "POST",
      body: "{}",
      dispatcher: agent({ allowPrivate: true, resolve }),
    });
    await response.body.dump();
    expect(response.statusCode).toBe(200);
    expect(receiver.requests[0]?.headers.host).toBe(`receiver.test:${new URL(receiver.url).port}`);
  });
});
