import { Webhook } from "standardwebhooks";
import { describe, expect, it } from "vitest";
import { InvalidSecretError } from "../errors/invalid-secret-error.ts";
import { signPayload } from "./sign-payload.ts";
import { decodeWebhookSecret, newWebhookSecret } from "./webhook-secret.ts";

const body = JSON.stringify({
  type: "job.succeeded",
  timestamp: "2026-01-01T00:00:00.000Z",
  data: { id: "job_1" },
});

describe("signPayload", () => {
  it("signs so that the reference Standard Webhooks verifier accepts it", () => {
    const secret = newWebhookSecret();
    const headers = signPayload({ id: "msg_1", timestamp: new Date(), body, secrets: [secret] });
    expect(headers["webhook-id"]).toBe("msg_1");
    expect(headers["webhook-timestamp"]).toMatch(/^\d{10}$/);
    expect(headers["webhook-signature"]).toMatch(/^v1,[A-Za-z0-9+/]+=*$/);
    expect(new Webhook(secret).verify(body, { ...headers })).toEqual(JSON.parse(body));
  });

  it("produces the same signature as the reference library's own signer", () => {
    const secret = newWebhookSecret();
    const timestamp = new Date("2026-03-01T12:00:00.000Z");
    const headers = signPayload({ id: "msg_2", timestamp, body, secrets: [secret] });
    expect(headers["webhook-timestamp"]).toBe("1772366400");
    expect(headers["webhook-signature"]).toBe(new Webhook(secret).sign("msg_2", timestamp, body));
  });

  it("sends one signature per active secret, each verifiable on its own (rotation)", () => {
    const previous = newWebhookSecret();
    const current = newWebhookSecret();
    const headers = signPayload({ id: "msg_3", timestamp: new Date(), body, secrets: [current, previous] });
    expect(headers["webhook-signature"].split(" ")).toHaveLength(2);
    expect(() => new Webhook(previous).verify(body, { ...headers })).not.toThrow();
    expect(() => new Webhook(current).verify(body, { ...headers })).not.toThrow();
    expect(() => new Webhook(newWebhookSecret()).verify(body, { ...headers })).toThrow();
  });

  it("fails verification when the body is changed", () => {
    const secret = newWebhookSecret();
    const headers = signPayload({ id: "msg_4", timestamp: new Date(), body, secrets: [secret] });
    expect(() => new Webhook(secret).verify(body.replace("job_1", "job_2"), { ...headers })).toThrow();
  });
});

describe("webhook secrets", () => {
  it("are whsec_ + base64 of 24 random bytes", () => {
    const secret = newWebhookSecret();
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{32}$/);
    expect(decodeWebhookSecret(secret)).toHaveLength(24);
    expect(newWebhookSecret()).not.toBe(secret);
  });

  it.each([
    "sk_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
    "whsec_not*base64!!",
    "whsec_c2hvcnQ=", // 5 bytes
  ])("refuses the malformed secret %s without repeating it", (secret) => {
    let caught: unknown;
    try {
      decodeWebhookSecret(secret);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(InvalidSecretError);
    expect((caught as Error).message).not.toContain(secret.slice(6));
  });
});
