import type { LookupFunction } from "node:net";
import { isIP } from "node:net";
import { Agent, buildConnector } from "undici";
import { BlockedAddressError } from "../errors/blocked-address-error.ts";
import { checkAddress } from "./address-policy.ts";
import type { Resolver } from "./resolver.ts";
import { systemResolver } from "./resolver.ts";

/** Options of {@link createGuardedAgent}. */
export interface GuardedAgentOptions {
  /**
   * Let connections reach loopback, private and other internal addresses (local development and
   * tests only).
   * @defaultValue false
   */
  allowPrivate?: boolean;
  /** How host names are resolved for connecting. @defaultValue {@link systemResolver} */
  resolve?: Resolver;
  /**
   * Longest wait for a TCP (and TLS) connection to open.
   * @defaultValue 10000
   */
  connectTimeoutMs?: number;
}

/**
 * An undici `Agent` (pass it as `dispatcher`) that checks the address it is about to dial, not
 * the one a URL resolved to earlier: DNS may answer a public address when the URL is registered
 * and `127.0.0.1` when it is dialled (DNS rebinding). Three checks, all before any byte is sent:
 * - names are resolved by our own `lookup`, which refuses the connection if ANY record is refused
 *   (a dual-stack client may try each of them), so no connection to a refused address is opened;
 * - IP-literal hosts (where no lookup happens) are judged before connecting;
 * - once connected, the socket's real peer address is judged again, as a last line of defence.
 *
 * @example
 * ```ts
 * const agent = createGuardedAgent();
 * await request("https://example.com/hook", { method: "POST", dispatcher: agent }); // BlockedAddressError if it resolves inward
 * ```
 */
export function createGuardedAgent(options: GuardedAgentOptions = {}): Agent {
  const allowPrivate = options.allowPrivate ?? false;
  const resolve = options.resolve ?? systemResolver;
  const connect = buildConnector({
    lookup: guardedLookup(resolve, allowPrivate),
    timeout: options.connectTimeoutMs ?? 10_000,
  });
  const guarded: buildConnector.connector = (connectOptions, callback) => {
    const host = connectOptions.hostname.replace(/^\[(.*)\]$/, "$1");
    if (!allowPrivate && isIP(host) !== 0) {
      const blocked = blockedError(host);
      if (blocked) {
        callback(blocked, null);
        return;
      }
    }
    connect(connectOptions, (error, socket) => {
      if (error !== null) {
        callback(error, null);
        return;
      }
      const peer = socket.remoteAddress;
      const blocked = !allowPrivate && peer !== undefined ? blockedError(peer) : undefined;
      if (blocked) {
        socket.destroy();
        callback(blocked, null);
        return;
      }
      callback(null, socket);
    });
  };
  return new Agent({ connect: guarded });
}

/**
 * A `net.connect` `lookup` that resolves with `resolve` and refuses (with `BlockedAddressError`)
 * when any address is not allowed; else it answers as `dns.lookup` would.
 */
export function guardedLookup(resolve: Resolver, allowPrivate: boolean): LookupFunction {
  return (hostname, lookupOptions, callback) => {
    resolve(hostname).then(
      (records) => {
        if (!allowPrivate) {
          for (const record of records) {
            const blocked = blockedError(record.address);
            if (blocked) {
              callback(blocked, "");
              return;
            }
          }
        }
        const family = lookupOptions.family === 4 || lookupOptions.family === 6 ? lookupOptions.family : 0;
        const usable = records.filter((record) => family === 0 || record.family === family);
        const first = usable[0];
        if (!first) {
          callback(Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: "ENOTFOUND" }), "");
        } else if (lookupOptions.all) {
          callback(
            null,
            usable.map(({ address, family: recordFamily }) => ({ address, family: recordFamily })),
          );
        } else {
          callback(null, first.address, first.family);
        }
      },
      (error: unknown) => callback(error instanceof Error ? error : new Error(String(error)), ""),
    );
  };
}

function blockedError(address: string): BlockedAddressError | undefined {
  const verdict = checkAddress(address);
  return verdict.allowed ? undefined : new BlockedAddressError(address, verdict.description);
}
