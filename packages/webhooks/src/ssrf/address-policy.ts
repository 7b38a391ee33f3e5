import type { IpBytes } from "./ip-address.ts";
import { formatIpv4, hasPrefix, parseIp } from "./ip-address.ts";

/** Why an address may not receive webhooks. */
export type BlockedCategory =
  | "unspecified"
  | "this-network"
  | "loopback"
  | "private"
  | "shared"
  | "link-local"
  | "unique-local"
  | "site-local"
  | "multicast"
  | "broadcast"
  | "reserved"
  | "documentation"
  | "not-an-address";

/** The verdict on one address. */
export type AddressVerdict =
  | { allowed: true }
  | {
      allowed: false;
      category: BlockedCategory;
      /** What the address is, for people: `a loopback address`, `the IPv4-mapped IPv6 form of 127.0.0.1, a loopback address`. */
      description: string;
    };

interface Range {
  prefix: readonly number[];
  bits: number;
  category: BlockedCategory;
}

/** What each category is called in a reason a user reads. */
const CATEGORY_TEXT: Record<BlockedCategory, string> = {
  unspecified: "the unspecified address",
  "this-network": "a 'this network' address (0.0.0.0/8)",
  loopback: "a loopback address",
  private: "a private network address (RFC 1918)",
  shared: "a carrier-grade NAT address (100.64.0.0/10)",
  "link-local": "a link-local address (where cloud metadata services live)",
  "unique-local": "a private IPv6 address (unique local, fc00::/7)",
  "site-local": "a private IPv6 address (site-local, fec0::/10)",
  multicast: "a multicast address",
  broadcast: "the broadcast address",
  reserved: "a reserved address",
  documentation: "a documentation address",
  "not-an-address": "not an IP address",
};

/** IPv4 blocks that are not the public internet (IANA special-purpose registry), most specific first. */
const IPV4_BLOCKED: readonly Range[] = [
  { prefix: [255, 255, 255, 255], bits: 32, category: "broadcast" },
  { prefix: [0], bits: 8, category: "this-network" },
  { prefix: [10], bits: 8, category: "private" },
  { prefix: [100, 64], bits: 10, category: "shared" },
  { prefix: [127], bits: 8, category: "loopback" },
  { prefix: [169, 254], bits: 16, category: "link-local" },
  { prefix: [172, 16], bits: 12, category: "private" },
  { prefix: [192, 0, 0], bits: 24, category: "reserved" }, // IETF protocol assignments
  { prefix: [192, 0, 2], bits: 24, category: "documentation" },
  { prefix: [192, 88, 99], bits: 24, category: "reserved" }, // former 6to4 relay anycast
  { prefix: [192, 168], bits: 16, category: "private" },
  { prefix: [198, 18], bits: 15, category: "reserved" }, // benchmarking
  { prefix: [198, 51, 100], bits: 24, category: "documentation" },
  { prefix: [203, 0, 113], bits: 24, category: "documentation" },
  { prefix: [224], bits: 4, category: "multicast" },
  { prefix: [240], bits: 4, category: "reserved" },
];

/** IPv6 blocks refused outright (the ones that embed an IPv4 address are handled apart). */
const IPV6_BLOCKED: readonly Range[] = [
  { prefix: [0x01, 0x00, 0, 0, 0, 0, 0, 0], bits: 64, category: "reserved" }, // discard-only
  { prefix: [0x00, 0x64, 0xff, 0x9b, 0x00, 0x01], bits: 48, category: "reserved" }, // local-use NAT64
  { prefix: [0x20, 0x01, 0x00, 0x00], bits: 32, category: "reserved" }, // Teredo: hides an IPv4 address
  { prefix: [0x20, 0x01, 0x0d, 0xb8], bits: 32, category: "documentation" },
  { prefix: [0xfc], bits: 7, category: "unique-local" },
  { prefix: [0xfe, 0x80], bits: 10, category: "link-local" },
  { prefix: [0xfe, 0xc0], bits: 10, category: "site-local" },
  { prefix: [0xff], bits: 8, category: "multicast" },
];

/**
 * IPv6 forms that carry an IPv4 address, and where: a connection to one of them reaches (or may
 * be translated to) that IPv4 address, so the IPv4 address is what gets judged.
 */
const IPV6_EMBEDDING_IPV4: readonly {
  prefix: readonly number[];
  bits: number;
  offset: number;
  name: string;
}[] = [
  { prefix: [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff], bits: 96, offset: 12, name: "IPv4-mapped" },
  { prefix: [0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 0, 0], bits: 96, offset: 12, name: "IPv4-translated" },
  { prefix: [0x00, 0x64, 0xff, 0x9b, 0, 0, 0, 0, 0, 0, 0, 0], bits: 96, offset: 12, name: "NAT64" },
  { prefix: [0x20, 0x02], bits: 16, offset: 2, name: "6to4" },
  // Deprecated IPv4-compatible (`::a.b.c.d`); `::` and `::1` are judged before this.
  { prefix: [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0], bits: 96, offset: 12, name: "IPv4-compatible" },
];

/**
 * Judges one IP address (text as DNS or a WHATWG `URL` gives it): may a webhook connect to it?
 * Refused: loopback, private (RFC 1918), CGNAT, link-local (cloud metadata), 0.0.0.0/8,
 * multicast, broadcast, reserved and documentation blocks, IPv6 unique-local, link-local,
 * site-local, and every IPv6 form that embeds a refused IPv4 address (`::ffff:127.0.0.1`).
 *
 * @example
 * ```ts
 * checkAddress("169.254.169.254"); // { allowed: false, category: "link-local", description: "a link-local address (…)" }
 * checkAddress("93.184.215.14"); // { allowed: true }
 * ```
 */
export function checkAddress(address: string): AddressVerdict {
  const parsed = parseIp(address);
  if (!parsed) return refused("not-an-address");
  const category = blockedCategory(parsed);
  if (category) return refused(category);
  if (parsed.family === 6) {
    for (const form of IPV6_EMBEDDING_IPV4) {
      if (!hasPrefix(parsed.bytes, form.prefix, form.bits)) continue;
      const ipv4 = parsed.bytes.slice(form.offset, form.offset + 4);
      const inner = blockedCategory({ family: 4, bytes: ipv4 });
      if (!inner) return { allowed: true };
      return {
        allowed: false,
        category: inner,
        description: `the ${form.name} IPv6 form of ${formatIpv4(ipv4)}, ${CATEGORY_TEXT[inner]}`,
      };
    }
  }
  return { allowed: true };
}

function blockedCategory(ip: IpBytes): BlockedCategory | undefined {
  if (ip.family === 4)
    return IPV4_BLOCKED.find((range) => hasPrefix(ip.bytes, range.prefix, range.bits))?.category;
  const zeros = ip.bytes.subarray(0, 15).every((byte) => byte === 0);
  if (zeros && ip.bytes[15] === 0) return "unspecified";
  if (zeros && ip.bytes[15] === 1) return "loopback";
  return IPV6_BLOCKED.find((range) => hasPrefix(ip.bytes, range.prefix, range.bits))?.category;
}

function refused(category: BlockedCategory): AddressVerdict {
  return { allowed: false, category, description: CATEGORY_TEXT[category] };
}
