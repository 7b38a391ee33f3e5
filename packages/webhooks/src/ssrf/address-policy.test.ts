import { describe, expect, it } from "vitest";
import { checkAddress } from "./address-policy.ts";

describe("checkAddress", () => {
  it.each([
    ["127.0.0.1", "loopback"],
    ["127.255.255.254", "loopback"],
    ["::1", "loopback"],
    ["10.0.0.1", "private"],
    ["172.16.0.1", "private"],
    ["172.31.255.255", "private"],
    ["192.168.1.1", "private"],
    ["169.254.169.254", "link-local"],
    ["fe80::1", "link-local"],
    ["febf::1", "link-local"],
    ["100.64.0.1", "shared"],
    ["100.127.255.255", "shared"],
    ["0.0.0.0", "this-network"],
    ["0.1.2.3", "this-network"],
    ["::", "unspecified"],
    ["224.0.0.1", "multicast"],
    ["239.255.255.250", "multicast"],
    ["ff02::1", "multicast"],
    ["255.255.255.255", "broadcast"],
    ["240.0.0.1", "reserved"],
    ["192.0.0.8", "reserved"],
    ["198.18.0.1", "reserved"],
    ["192.0.2.10", "documentation"],
    ["2001:db8::1", "documentation"],
    ["fc00::1", "unique-local"],
    ["fd12:3456:789a::1", "unique-local"],
    ["fec0::1", "site-local"],
    ["2001:0:4136:e378:8000:63bf:3fff:fdd2", "reserved"], // Teredo
    ["100::1", "reserved"],
    ["not-an-ip", "not-an-address"],
    ["0177.0.0.1", "not-an-address"], // never read as an address here; URL parsing normalises it first
  ])("refuses %s as %s", (address, category) => {
    expect(checkAddress(address)).toMatchObject({ allowed: false, category });
  });

  it.each([
    ["::ffff:127.0.0.1", "loopback", "IPv4-mapped"],
    ["::ffff:7f00:1", "loopback", "IPv4-mapped"],
    ["[::ffff:7f00:1]", "loopback", "IPv4-mapped"],
    ["::ffff:a9fe:a9fe", "link-local", "IPv4-mapped"],
    ["::ffff:10.1.2.3", "private", "IPv4-mapped"],
    ["::127.0.0.1", "loopback", "IPv4-compatible"],
    ["::7f00:1", "loopback", "IPv4-compatible"],
    ["::ffff:0:192.168.0.1", "private", "IPv4-translated"],
    ["64:ff9b::a9fe:a9fe", "link-local", "NAT64"],
    ["2002:7f00:1::1", "loopback", "6to4"],
    ["2002:c0a8:101::", "private", "6to4"],
  ])("refuses the IPv6 form %s of a %s IPv4 address", (address, category, form) => {
    const verdict = checkAddress(address);
    expect(verdict).toMatchObject({ allowed: false, category });
    if (!verdict.allowed) expect(verdict.description).toContain(form);
  });

  it.each([
    "93.184.215.14",
    "8.8.8.8",
    "1.1.1.1",
    "100.63.255.255", // just below CGNAT
    "100.128.0.0", // just above CGNAT
    "172.15.255.255", // just below 172.16/12
    "172.32.0.0", // just above
    "169.253.255.255",
    "2606:4700:4700::1111",
    "2a00:1450:4001:80b::200e",
    "::ffff:8.8.8.8",
    "64:ff9b::808:808",
    "2002:808:808::1",
  ])("allows the public address %s", (address) => {
    expect(checkAddress(address)).toEqual({ allowed: true });
  });

  it("describes a refused address in words a user can act on", () => {
    expect(checkAddress("::ffff:127.0.0.1")).toMatchObject({
      description: "the IPv4-mapped IPv6 form of 127.0.0.1, a loopback address",
    });
    expect(checkAddress("169.254.169.254")).toMatchObject({
      description: "a link-local address (where cloud metadata services live)",
    });
  });
});
