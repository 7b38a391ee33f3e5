import { describe, expect, it } from "vitest";
import { credentialsFromEnv, KeyRing, sha256Hex } from "./key-ring.ts";
import { presentedToken } from "./presented-token.ts";

describe("KeyRing", () => {
  it("names the credential a secret belongs to and keeps no plaintext", () => {
    const credentials = credentialsFromEnv("ops:s3cret-token, bare-token", "operator");
    expect(credentials).toEqual([
      { name: "ops", sha256: sha256Hex("s3cret-token") },
      { name: "operator", sha256: sha256Hex("bare-token") },
    ]);
    expect(JSON.stringify(credentials)).not.toContain("s3cret");
    const ring = new KeyRing(credentials);
    expect(ring.size).toBe(2);
    expect(ring.identify("s3cret-token")).toBe("ops");
    expect(ring.identify("bare-token")).toBe("operator");
    expect(ring.identify("guess")).toBeUndefined();
    expect(ring.identifyHash(sha256Hex("s3cret-token"))).toBe("ops");
  });

  it("has no credentials for an unset or empty variable", () => {
    expect(credentialsFromEnv(undefined, "x")).toEqual([]);
    expect(credentialsFromEnv(" , ", "x")).toEqual([]);
  });
});

describe("presentedToken", () => {
  it("reads a Bearer token or the password of HTTP Basic, and nothing else", () => {
    expect(presentedToken("Bearer abc")).toEqual({ secret: "abc", scheme: "bearer" });
    const basic = `Basic ${Buffer.from("anyone:pass:word").toString("base64")}`;
    expect(presentedToken(basic)).toEqual({ secret: "pass:word", scheme: "basic" });
    expect(presentedToken(undefined)).toBeUndefined();
    expect(presentedToken("Token abc")).toBeUndefined();
    expect(presentedToken("Bearer a b")).toBeUndefined();
  });
});
