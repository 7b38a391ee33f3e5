import { lookup } from "node:dns/promises";

/** One address a host name resolved to. */
export interface ResolvedAddress {
  address: string;
  family: 4 | 6;
}

/**
 * Resolves a host name to EVERY address it has (A and AAAA). Injectable so that tests (and the
 * DNS-rebinding test above all) decide what a name resolves to without real DNS.
 */
export type Resolver = (hostname: string) => Promise<readonly ResolvedAddress[]>;

/**
 * The system resolver (`getaddrinfo`, as Node's own connections use it), all records, in the
 * order the system gives them.
 *
 * @example
 * ```ts
 * await systemResolver("localhost"); // [{ address: "127.0.0.1", family: 4 }, { address: "::1", family: 6 }]
 * ```
 */
export const systemResolver: Resolver = async (hostname) => {
  const records = await lookup(hostname, { all: true, order: "verbatim" });
  return records.map((record) => ({ address: record.address, family: record.family === 6 ? 6 : 4 }));
};
