import { redisFixture } from "@llmr/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LOGIN_BURST } from "../src/admin/login-throttle.ts";
import { sha256Hex } from "../src/auth/key-ring.ts";
import { OPERATOR, startTestApi } from "./start-test-api.ts";

const redis = redisFixture();
let api: Awaited<ReturnType<typeof startTestApi>>;

beforeAll(async () => {
  api = await startTestApi({ redisUrl: redis.url, keyPrefix: redis.prefix });
});
afterAll(async () => {
  await api.close();
});

const form = (fields: Record<string, string>, headers: Record<string, string> = {}) => ({
  method: "POST",
  headers: { "content-type": "application/x-www-form-urlencoded", ...headers },
  body: new URLSearchParams(fields).toString(),
  redirect: "manual" as const,
});

/** Logs in through the form; returns the two cookies as a browser would keep them. */
async function logIn(url: string, token = OPERATOR, headers: Record<string, string> = {}) {
  const res = await fetch(`${url}/admin/login`, form({ token, next: "/admin/queues" }, headers));
  expect(res.status).toBe(303);
  const setCookies = res.headers.getSetCookie();
  const value = (name: string) =>
    setCookies
      .find((c) => c.startsWith(`${name}=`))
      ?.split(";")[0]
      ?.slice(name.length + 1) ?? "";
  const session = value("llmr_operator_session");
  const csrf = value("XSRF-TOKEN");
  return { res, setCookies, session, csrf, cookie: `llmr_operator_session=${session}; XSRF-TOKEN=${csrf}` };
}

const pauseUrl = (url: string) =>
  `${url}/admin/queues/api/queues/${encodeURIComponent("{fast-batch}")}/pause`;

describe("operator login at /admin/login", () => {
  it("serves a script-free login form that cannot be framed", async () => {
    const res = await fetch(`${api.url}/admin/login?next=%2Fadmin%2Fqueues`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-security-policy")).toContain("frame-ancestors 'none'");
    expect(res.headers.get("cache-control")).toBe("no-store");
    const html = await res.text();
    expect(html).toContain('<input id="token" name="token" type="password"');
    expect(html).toContain('name="next" value="/admin/queues"');
  });

  it("refuses an unknown token, and never echoes or logs it", async () => {
    const guess = "not-the-operator-token-0123456789";
    const res = await fetch(`${api.url}/admin/login`, form({ token: guess }));
    expect(res.status).toBe(401);
    expect(res.headers.getSetCookie()).toEqual([]);
    const html = await res.text();
    expect(html).toContain("Unknown operator token.");
    expect(html).not.toContain(guess);
    expect(api.logLines.join("")).not.toContain(guess);
  });

  it("sets an HttpOnly SameSite=Strict session cookie for /admin only, Secure behind https", async () => {
    const { res, setCookies, session, csrf } = await logIn(api.url);
    expect(res.headers.get("location")).toBe("/admin/queues");
    const sessionCookie = setCookies.find((c) => c.startsWith("llmr_operator_session="));
    expect(sessionCookie).toMatch(/; Max-Age=28800; Path=\/admin; .*HttpOnly; SameSite=Strict/);
    expect(sessionCookie).not.toMatch(/Secure/);
    // The CSRF token is readable by the page (bull-board's axios copies it into a header).
    const csrfCookie = setCookies.find((c) => c.startsWith("XSRF-TOKEN="));
    expect(csrfCookie).toMatch(/SameSite=Strict/);
    expect(csrfCookie).not.toMatch(/HttpOnly/);
    expect(session).toMatch(/^[\w-]{43}$/);
    expect(csrf).toMatch(/^[\w-]{43}$/);
    // Redis keeps the session under the hash of its id, never the id itself.
    const client = redis.connect();
    expect(await client.exists(`${redis.prefix}:operator-session:{${sha256Hex(session)}}`)).toBe(1);
    expect(await client.keys(`*${session}*`)).toEqual([]);
    expect(api.logLines.join("")).not.toContain(OPERATOR);
    expect(api.logLines.join("")).not.toContain(session);

    const proxied = await logIn(api.url, OPERATOR, { "x-forwarded-proto": "https" });
    expect(proxied.setCookies.every((c) => /; Secure/.test(c))).toBe(true);
  });

  it("lets the session read the dashboard, and change things only with the CSRF token from our own page", async () => {
    const { cookie, csrf } = await logIn(api.url);
    const page = await fetch(`${api.url}/admin/queues`, { headers: { cookie, accept: "text/html" } });
    expect(page.status).toBe(200);
    expect(page.headers.get("x-frame-options")).toBe("DENY");
    expect((await fetch(`${api.url}/admin/queues/api/queues`, { headers: { cookie } })).status).toBe(200);

    const refused = async (headers: Record<string, string>, reason: RegExp) => {
      const res = await fetch(pauseUrl(api.url), { method: "PUT", headers: { cookie, ...headers } });
      expect(res.status).toBe(403);
      const { error } = (await res.json()) as { error: { type: string; message: string } };
      expect(error.type).toBe("permission_error");
      expect(error.message).toMatch(reason);
    };
    await refused({}, /^missing CSRF token/);
    await refused({ "x-xsrf-token": "x".repeat(43) }, /^CSRF token does not match/);
    await refused(
      { "x-xsrf-token": csrf, origin: "https://evil.example" },
      /^cross-site request refused \(Origin https:\/\/evil\.example is not this site\)/,
    );
    await refused({ "x-xsrf-token": csrf, "sec-fetch-site": "cross-site" }, /Sec-Fetch-Site: cross-site/);

    const host = new URL(api.url).host;
    const ok = await fetch(pauseUrl(api.url), {
      method: "PUT",
      headers: { cookie, "x-xsrf-token": csrf, origin: `http://${host}`, "sec-fetch-site": "same-origin" },
    });
    expect(ok.status).toBe(200);
    expect(await api.queues.get("fast", "batch").isPaused()).toBe(true);
    await api.queues.get("fast", "batch").resume();
  });

  it("refuses a cross-site login form and a cross-site Basic-authenticated change", async () => {
    const crossLogin = await fetch(
      `${api.url}/admin/login`,
      form({ token: OPERATOR }, { origin: "https://evil.example" }),
    );
    expect(crossLogin.status).toBe(403);
    expect(crossLogin.headers.getSetCookie()).toEqual([]);
    const basic = `Basic ${Buffer.from(`ops:${OPERATOR}`).toString("base64")}`;
    const res = await fetch(pauseUrl(api.url), {
      method: "PUT",
      headers: { authorization: basic, "sec-fetch-site": "cross-site" },
    });
    expect(res.status).toBe(403);
    expect(await api.queues.get("fast", "batch").isPaused()).toBe(false);
  });

  it("ends the session on logout", async () => {
    const { cookie, session } = await logIn(api.url);
    const out = await fetch(`${api.url}/admin/logout`, { headers: { cookie }, redirect: "manual" });
    expect(out.status).toBe(303);
    expect(out.headers.get("location")).toBe("/admin/login?logged_out=1");
    expect(
      out.headers.getSetCookie().some((c) => /^llmr_operator_session=;.*Expires=Thu, 01 Jan 1970/.test(c)),
    ).toBe(true);
    const client = redis.connect();
    expect(await client.exists(`${redis.prefix}:operator-session:{${sha256Hex(session)}}`)).toBe(0);
    expect((await fetch(`${api.url}/admin/queues/api/queues`, { headers: { cookie } })).status).toBe(401);
  });
});

describe("operator sessions across API processes and token rotation", () => {
  it("honours a session in every API process, and ends it once its token is no longer configured", async () => {
    const prefix = redis.uniquePrefix();
    const NEW_TOKEN = "llmr_test_operator_rotated_secret";
    const before = await startTestApi({ redisUrl: redis.url, keyPrefix: prefix });
    const both = await startTestApi({
      redisUrl: redis.url,
      keyPrefix: prefix,
      operatorTokens: [OPERATOR, NEW_TOKEN],
    });
    const after = await startTestApi({ redisUrl: redis.url, keyPrefix: prefix, operatorTokens: [NEW_TOKEN] });
    try {
      const { cookie, session } = await logIn(before.url);
      const list = (url: string) => fetch(`${url}/admin/queues/api/queues`, { headers: { cookie } });
      expect((await list(both.url)).status).toBe(200);
      const refused = await list(after.url);
      expect(refused.status).toBe(401);
      expect(refused.headers.getSetCookie().some((c) => c.startsWith("llmr_operator_session=;"))).toBe(true);
      // The rotated-away session is deleted, so putting the old token back does not revive it.
      const client = redis.connect();
      expect(await client.exists(`${prefix}:operator-session:{${sha256Hex(session)}}`)).toBe(0);
      expect((await list(before.url)).status).toBe(401);
    } finally {
      await Promise.all([before.close(), both.close(), after.close()]);
    }
  });
});

describe("login throttling", () => {
  it("allows 10 tries at once from one address, then answers 429 with Retry-After even for the right token", async () => {
    const own = await startTestApi({ redisUrl: redis.url, keyPrefix: redis.uniquePrefix() });
    try {
      for (let i = 0; i < LOGIN_BURST; i++) {
        expect((await fetch(`${own.url}/admin/login`, form({ token: `wrong-${i}` }))).status).toBe(401);
      }
      const throttled = await fetch(`${own.url}/admin/login`, form({ token: OPERATOR }));
      expect(throttled.status).toBe(429);
      expect(Number(throttled.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
      expect(throttled.headers.getSetCookie()).toEqual([]);
      expect(await throttled.text()).toMatch(/Too many login attempts; try again in \d+ s\./);
    } finally {
      await own.close();
    }
  });
});
