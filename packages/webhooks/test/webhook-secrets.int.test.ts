import { redisFixture } from "@llmr/testing";
import { Webhook } from "standardwebhooks";
import { describe, expect, it } from "vitest";
import { WebhookSecrets } from "../src/secrets/webhook-secrets.ts";
import { signPayload } from "../src/signing/sign-payload.ts";

const redis = redisFixture();
const HOUR_MS = 3_600_000;

/** A store over its own prefix with a clock the test moves. */
function secretsWithClock(options: { rotationGraceMs?: number; maxSecrets?: number } = {}) {
  let nowMs = Date.parse("2026-01-01T00:00:00.000Z");
  const secrets = new WebhookSecrets(redis.connect(), {
    prefix: redis.uniquePrefix(),
    now: () => new Date(nowMs),
    ...options,
  });
  return { secrets, advance: (ms: number) => (nowMs += ms) };
}

describe("WebhookSecrets", () => {
  it("creates a tenant's secret on first use and keeps it", async () => {
    const { secrets } = secretsWithClock();
    const first = await secrets.current("acme");
    expect(first).toMatch(/^whsec_/);
    expect(await secrets.current("acme")).toBe(first);
    expect(await secrets.list("acme")).toEqual([
      { secret: first, created_at: "2026-01-01T00:00:00.000Z", expires_at: null },
    ]);
  });

  it("gives every tenant its own secret, under a hash-tagged key", async () => {
    const { secrets } = secretsWithClock();
    const [a, b] = await Promise.all([secrets.current("acme"), secrets.current("globex")]);
    expect(a).not.toBe(b);
    expect(secrets.key("acme")).toMatch(/:whsec:\{acme\}$/);
  });

  it("mints exactly one secret when many callers ask at once", async () => {
    const { secrets } = secretsWithClock();
    const answers = await Promise.all(Array.from({ length: 20 }, () => secrets.current("acme")));
    expect(new Set(answers).size).toBe(1);
    expect(await secrets.list("acme")).toHaveLength(1);
  });

  it("rotates: both secrets sign for the grace period, then the old one expires", async () => {
    const { secrets, advance } = secretsWithClock();
    const old = await secrets.current("acme");
    advance(1_000);
    const rotated = await secrets.rotate("acme");
    expect(rotated).toHaveLength(2);
    expect(rotated[0]).toMatchObject({ expires_at: null });
    expect(rotated[1]).toEqual({
      secret: old,
      created_at: "2026-01-01T00:00:00.000Z",
      expires_at: "2026-01-02T00:00:01.000Z",
    });
    const current = rotated[0]?.secret ?? "";
    expect(await secrets.current("acme")).toBe(current);

    // A receiver that still has the old secret, and one that already has the new, both verify.
    const body = '{"type":"job.succeeded"}';
    const headers = signPayload({
      id: "msg_x",
      timestamp: new Date(),
      body,
      secrets: await secrets.signingSecrets("acme"),
    });
    expect(() => new Webhook(old).verify(body, { ...headers })).not.toThrow();
    expect(() => new Webhook(current).verify(body, { ...headers })).not.toThrow();

    advance(24 * HOUR_MS - 1);
    expect(await secrets.signingSecrets("acme")).toEqual([current, old]);
    advance(1);
    expect(await secrets.signingSecrets("acme")).toEqual([current]);
  });

  it("honours a configured grace period", async () => {
    const { secrets, advance } = secretsWithClock({ rotationGraceMs: 60_000 });
    await secrets.current("acme");
    await secrets.rotate("acme");
    advance(60_000);
    expect(await secrets.list("acme")).toHaveLength(1);
  });

  it("bounds repeated rotations: the oldest rotated-out secrets go first", async () => {
    const { secrets, advance } = secretsWithClock({ maxSecrets: 3 });
    const first = await secrets.current("acme");
    for (let i = 0; i < 4; i++) {
      advance(1_000);
      await secrets.rotate("acme");
    }
    const active = await secrets.list("acme");
    expect(active).toHaveLength(3);
    expect(active.map((info) => info.secret)).not.toContain(first);
    expect(active.filter((info) => info.expires_at === null)).toHaveLength(1);
  });
});
