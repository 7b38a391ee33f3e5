import { describe, expect, it } from "vitest";
import { checkWebhookUrl } from "./check-webhook-url.ts";
import type { ResolvedAddress, Resolver } from "./resolver.ts";

/** A resolver over a fixed table, so no real DNS is asked; unknown names do not resolve. */
function fakeDns(table: Record<string, readonly string[]>): Resolver {
  return async (hostname) => {
    const addresses = table[hostname];
    if (!addresses)
      throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: "ENOTFOUND" });
    return addresses.map((address): ResolvedAddress => ({ address, family: address.includes(":") ? 6 : 4 }));
  };
}

const resolve = fakeDns({
  "hooks.example.com": ["93.184.215.14", "2606:2800:21f:cb07:6820:80da:af6b:8b2c"],
  "metadata.example.com": ["169.254.169.254"],
  "intranet.example.com": ["10.0.0.7"],
  "mixed.example.com": ["93.184.215.14", "127.0.0.1"],
  "v6-mixed.example.com": ["2606:2800:21f:cb07:6820:80da:af6b:8b2c", "fd00::5"],
  "mapped.example.com": ["::ffff:127.0.0.1"],
  "cgnat.example.com": ["100.64.1.1"],
  "empty.example.com": [],
});

describe("checkWebhookUrl", () => {
  it.each([
    // loopback, and the numeric spellings WHATWG URL turns into 127.0.0.1
    ["http://127.0.0.1/hook", "127.0.0.1 is a loopback address"],
    ["http://2130706433/hook", "127.0.0.1 is a loopback address"],
    ["http://0x7f000001/hook", "127.0.0.1 is a loopback address"],
    ["http://0177.0.0.1/hook", "127.0.0.1 is a loopback address"],
    ["http://127.1/hook", "127.0.0.1 is a loopback address"],
    ["http://0x7f.1/hook", "127.0.0.1 is a loopback address"],
    ["http://%31%32%37.0.0.1/hook", "127.0.0.1 is a loopback address"],
    ["http://127.0.0.1.:8080/hook", "127.0.0.1 is a loopback address"],
    ["http://[::1]/hook", "[::1] is a loopback address"],
    ["http://localhost:3000/hook", "host localhost is this machine"],
    ["http://api.localhost/hook", "host api.localhost is this machine"],
    // IPv4-mapped and -compatible IPv6
    ["http://[::ffff:127.0.0.1]/hook", "IPv4-mapped IPv6 form of 127.0.0.1, a loopback address"],
    ["http://[::ffff:7f00:1]/hook", "IPv4-mapped IPv6 form of 127.0.0.1, a loopback address"],
    ["http://[::127.0.0.1]/hook", "IPv4-compatible IPv6 form of 127.0.0.1"],
    ["http://[::ffff:169.254.169.254]/latest", "a link-local address"],
    // private, link-local (cloud metadata), CGNAT, 0.0.0.0/8, multicast, broadcast, ULA
    ["http://10.1.2.3/hook", "a private network address (RFC 1918)"],
    ["http://172.20.0.1/hook", "a private network address (RFC 1918)"],
    ["https://192.168.0.10/hook", "a private network address (RFC 1918)"],
    ["http://169.254.169.254/latest/meta-data/", "a link-local address"],
    ["http://[fe80::1]/hook", "a link-local address"],
    ["http://100.64.0.1/hook", "a carrier-grade NAT address"],
    ["http://0.0.0.0:8080/hook", "a 'this network' address"],
    ["http://0/hook", "a 'this network' address"],
    ["http://224.0.0.251/hook", "a multicast address"],
    ["http://[ff05::2]/hook", "a multicast address"],
    ["http://255.255.255.255/hook", "the broadcast address"],
    ["http://[fd00::1]/hook", "unique local"],
    // names whose records point inward (any one record is enough)
    ["https://metadata.example.com/", "host metadata.example.com resolves to 169.254.169.254, a link-local"],
    ["https://intranet.example.com/hook", "resolves to 10.0.0.7, a private network address"],
    ["https://mixed.example.com/hook", "resolves to 127.0.0.1, a loopback address"],
    ["https://v6-mixed.example.com/hook", "resolves to fd00::5"],
    ["https://mapped.example.com/hook", "IPv4-mapped IPv6 form of 127.0.0.1"],
    ["https://cgnat.example.com/hook", "a carrier-grade NAT address"],
    // names that do not resolve
    ["https://nowhere.example.com/hook", "host nowhere.example.com does not resolve"],
    ["https://empty.example.com/hook", "host empty.example.com does not resolve"],
    // not http(s), credentials, not a URL
    ["ftp://hooks.example.com/hook", "must use http or https, not ftp"],
    ["file:///etc/passwd", "must use http or https, not file"],
    ["gopher://hooks.example.com:70/", "must use http or https"],
    ["https://user:pass@hooks.example.com/hook", "must not contain a user name or password"],
    ["https://token@hooks.example.com/hook", "must not contain a user name or password"],
    ["/relative/hook", "must be an absolute http:// or https:// URL"],
    ["not a url", "must be an absolute http:// or https:// URL"],
    [`https://hooks.example.com/${"a".repeat(2100)}`, "at most 2048 characters"],
  ])("refuses %s", async (url, reason) => {
    const check = await checkWebhookUrl(url, { resolve });
    expect(check.ok).toBe(false);
    if (!check.ok) expect(check.reason).toContain(reason);
  });

  it.each([
    "https://hooks.example.com/hook",
    "http://hooks.example.com:8080/hook?token=abc",
    "https://93.184.215.14/hook",
    "https://[2606:4700:4700::1111]/hook",
  ])("allows the public target %s", async (url) => {
    await expect(checkWebhookUrl(url, { resolve })).resolves.toMatchObject({ ok: true });
  });

  it("returns the URL as it will be dialled", async () => {
    await expect(checkWebhookUrl("HTTPS://Hooks.Example.com:443/a/../hook", { resolve })).resolves.toEqual({
      ok: true,
      url: "https://hooks.example.com/hook",
    });
  });

  it("lets private targets through with allowPrivate, but never other schemes or credentials", async () => {
    const unresolvable: Resolver = async () => {
      throw new Error("DNS must not be asked when private targets are allowed");
    };
    const options = { allowPrivate: true, resolve: unresolvable };
    await expect(checkWebhookUrl("http://127.0.0.1:4000/hook", options)).resolves.toMatchObject({ ok: true });
    await expect(checkWebhookUrl("http://localhost:4000/hook", options)).resolves.toMatchObject({ ok: true });
    await expect(checkWebhookUrl("file:///etc/passwd", options)).resolves.toMatchObject({ ok: false });
    await expect(checkWebhookUrl("http://u:p@127.0.0.1/", options)).resolves.toMatchObject({ ok: false });
  });

  it("refuses a host whose DNS does not answer in time", async () => {
    const hanging: Resolver = () => new Promise(() => undefined);
    const check = await checkWebhookUrl("https://slow.example.com/hook", {
      resolve: hanging,
      resolveTimeoutMs: 20,
    });
    expect(check).toEqual({ ok: false, reason: "host slow.example.com could not be resolved (ETIMEOUT)" });
  });
});
