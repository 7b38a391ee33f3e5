import { randomBytes, timingSafeEqual } from "node:crypto";
import type { Redis } from "ioredis";
import { z } from "zod";
import { sha256Hex } from "./key-ring.ts";

/** 256 random bits, base64url: what the session cookie and the CSRF token are made of. */
const TOKEN_BYTES = 32;
const TOKEN = /^[A-Za-z0-9_-]{43}$/;

const StoredSession = z.strictObject({
  /** SHA-256 of the operator token that logged in: the session dies with that token. */
  credential_sha256: z.string(),
  csrf_token: z.string(),
  created_at: z.string(),
});

/** The Redis commands sessions need; a single server's client and a Cluster client both have them. */
export type SessionRedis = Pick<Redis, "get" | "set" | "del">;

/** A live operator session, as the dashboard's middleware sees it. */
export interface OperatorSession {
  credentialSha256: string;
  csrfToken: string;
  createdAt: string;
}

/**
 * Operator logins of the dashboard, kept server-side in Redis rather than in a signed cookie: any
 * API process can check one without sharing a signing secret, logout really ends it (a signed
 * cookie stays valid until it expires), and an operator can end every session at once by deleting
 * the keys. The cookie carries an opaque random id; Redis keeps only its SHA-256, so reading Redis
 * does not hand out live cookies. The session remembers which operator token logged in, and the
 * caller checks that hash against the configured tokens on every request: rotating or removing a
 * token ends its sessions without touching Redis.
 *
 * Keys: `<prefix>:operator-session:{<sha256 of the id>}` (one hash tag each, Redis Cluster safe),
 * with the session's lifetime as TTL.
 */
export class OperatorSessions {
  readonly #redis: SessionRedis;
  readonly #keyPrefix: string;
  readonly #ttlSeconds: number;

  /**
   * @param options.keyPrefix - `redis.key_prefix` of the config.
   * @param options.ttlSeconds - lifetime of a session (`admin.session_ttl_s`), never extended.
   */
  constructor(redis: SessionRedis, options: { keyPrefix: string; ttlSeconds: number }) {
    this.#redis = redis;
    this.#keyPrefix = options.keyPrefix;
    this.#ttlSeconds = options.ttlSeconds;
  }

  get ttlSeconds(): number {
    return this.#ttlSeconds;
  }

  /** Starts a session for the operator token whose hash is `credentialSha256`. */
  async create(credentialSha256: string): Promise<{ id: string; session: OperatorSession }> {
    const id = randomBytes(TOKEN_BYTES).toString("base64url");
    const session: OperatorSession = {
      credentialSha256,
      csrfToken: randomBytes(TOKEN_BYTES).toString("base64url"),
      createdAt: new Date().toISOString(),
    };
    const stored: z.infer<typeof StoredSession> = {
      credential_sha256: session.credentialSha256,
      csrf_token: session.csrfToken,
      created_at: session.createdAt,
    };
    await this.#redis.set(this.#key(id), JSON.stringify(stored), "EX", this.#ttlSeconds);
    return { id, session };
  }

  /** The session with this cookie value, or undefined (unknown, expired, logged out, malformed). */
  async find(id: string): Promise<OperatorSession | undefined> {
    if (!TOKEN.test(id)) return undefined;
    const text = await this.#redis.get(this.#key(id));
    if (text === null) return undefined;
    const parsed = StoredSession.safeParse(JSON.parse(text));
    if (!parsed.success) return undefined;
    return {
      credentialSha256: parsed.data.credential_sha256,
      csrfToken: parsed.data.csrf_token,
      createdAt: parsed.data.created_at,
    };
  }

  /** Ends the session (logout); a no-op for an unknown id. */
  async destroy(id: string): Promise<void> {
    if (TOKEN.test(id)) await this.#redis.del(this.#key(id));
  }

  #key(id: string): string {
    return `${this.#keyPrefix}:operator-session:{${sha256Hex(id)}}`;
  }
}

/** Compares a presented CSRF token with the session's without leaking its prefix through timing. */
export function csrfTokenMatches(session: OperatorSession, presented: string | undefined): boolean {
  if (presented === undefined) return false;
  const expected = Buffer.from(session.csrfToken);
  const given = Buffer.from(presented);
  return expected.length === given.length && timingSafeEqual(expected, given);
}
