import { isIPv4, isIPv6 } from "node:net";

/** An IP address as bytes: 4 for IPv4, 16 for IPv6. */
export type IpBytes = { family: 4; bytes: Uint8Array } | { family: 6; bytes: Uint8Array };

/**
 * Parses a textual IP address (`127.0.0.1`, `::ffff:7f00:1`, `[fe80::1%eth0]`) into bytes, or
 * `undefined` when it is not one. Only the canonical forms are accepted (dotted decimal without
 * leading zeros): hosts from a WHATWG `URL` and addresses from DNS are already in that form, and
 * anything else must not be mistaken for an address here and read differently by the OS later.
 *
 * @example
 * ```ts
 * parseIp("::ffff:127.0.0.1"); // { family: 6, bytes: [0,0,0,0,0,0,0,0,0,0,255,255,127,0,0,1] }
 * ```
 */
export function parseIp(text: string): IpBytes | undefined {
  let address = text.startsWith("[") && text.endsWith("]") ? text.slice(1, -1) : text;
  if (isIPv4(address)) return { family: 4, bytes: parseIpv4(address) };
  // A zone (`%eth0`) names an interface, not part of the address.
  const zone = address.indexOf("%");
  if (zone >= 0) address = address.slice(0, zone);
  if (isIPv6(address)) return { family: 6, bytes: parseIpv6(address) };
  return undefined;
}

function parseIpv4(address: string): Uint8Array {
  return Uint8Array.from(address.split("."), Number);
}

/** `address` is valid IPv6 (checked by `isIPv6`), possibly with `::` and a dotted IPv4 tail. */
function parseIpv6(address: string): Uint8Array {
  let text = address.toLowerCase();
  const lastColon = text.lastIndexOf(":");
  const last = text.slice(lastColon + 1);
  if (last.includes(".")) {
    // A dotted IPv4 tail (`::ffff:127.0.0.1`) is the last two groups written another way.
    const [a = 0, b = 0, c = 0, d = 0] = parseIpv4(last);
    text = `${text.slice(0, lastColon + 1)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const toGroups = (part: string | undefined) =>
    part === undefined || part === "" ? [] : part.split(":").map((group) => Number.parseInt(group, 16));
  const [head, rest] = text.split("::");
  const headGroups = toGroups(head);
  const restGroups = toGroups(rest);
  const zeros = rest === undefined ? 0 : 8 - headGroups.length - restGroups.length;
  const groups = [...headGroups, ...new Array<number>(zeros).fill(0), ...restGroups];
  const bytes = new Uint8Array(16);
  groups.forEach((group, index) => {
    bytes[index * 2] = group >> 8;
    bytes[index * 2 + 1] = group & 0xff;
  });
  return bytes;
}

/** Whether the first `bits` bits of `bytes` equal those of `prefix`. */
export function hasPrefix(bytes: Uint8Array, prefix: readonly number[], bits: number): boolean {
  for (let bit = 0; bit < bits; bit += 8) {
    const remaining = Math.min(8, bits - bit);
    const mask = (0xff << (8 - remaining)) & 0xff;
    const index = bit / 8;
    if (((bytes[index] ?? 0) & mask) !== ((prefix[index] ?? 0) & mask)) return false;
  }
  return true;
}

/** Dotted-decimal text of 4 bytes. */
export function formatIpv4(bytes: Uint8Array): string {
  return Array.from(bytes.subarray(0, 4)).join(".");
}
