import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import type { Cluster, Redis, Result } from "ioredis";
import { newWebhookSecret } from "../signing/webhook-secret.ts";

const SECRETS_SCRIPT = readFileSync(new URL("../lua/webhook-secrets-1.lua", import.meta.url), "utf8");

declare module "ioredis" {
  interface RedisCommander<Context> {
    llmrWebhookSecrets(
      key: string,
      mode: "ensure" | "rotate",
      nowMs: string,
      field: string,
      value: string,
      graceMs: string,
      maxSecrets: string,
    ): Result<string[], Context>;
  }
}

/** One active signing secret of a tenant, as the API shows it to the key's owner. */
export interface WebhookSecretInfo {
  /** `whsec_…`: give it to the receiver's verifier. */
  secret: string;
  /** ISO-8601 UTC. */
  created_at: string;
  /** When a rotated-out secret stops signing (ISO-8601 UTC); null for the current one. */
  expires_at: string | null;
}

/** Options of {@link WebhookSecrets}. */
export interface WebhookSecretsOptions {
  /** Prefix of every key (the router's `redis.key_prefix`). */
  prefix: string;
  /**
   * How long a rotated-out secret keeps signing every delivery next to the new one, so receivers
   * can switch over without dropping a webhook.
   * @defaultValue 86400000 (24 h)
   */
  rotationGraceMs?: number;
  /**
   * Most secrets a tenant can have at once; rotating past it drops the oldest rotated-out one
   * early (bounds the `webhook-signature` header).
   * @defaultValue 5
   */
  maxSecrets?: number;
  /** The clock (tests move it forward). @defaultValue `() => new Date()` */
  now?: () => Date;
}

/**
 * The signing secrets of each tenant (API key) in Redis, one hash per tenant at
 * `${prefix}:whsec:{${tenant}}`. A tenant's first read creates its secret; a rotation adds a new
 * one and keeps the old one signing for the grace period, after which it is deleted. Secrets are
 * kept in clear because signing needs them; they never appear in an error or an event.
 *
 * @example
 * ```ts
 * const secrets = new WebhookSecrets(redis, { prefix: "llmr" });
 * await secrets.current("acme"); // "whsec_…", created on first use
 * await secrets.rotate("acme"); // [new (expires_at null), old (expires in 24 h)]
 * ```
 */
export class WebhookSecrets {
  readonly #redis: Redis | Cluster;
  readonly #prefix: string;
  readonly #graceMs: number;
  readonly #maxSecrets: number;
  readonly #now: () => Date;

  constructor(redis: Redis | Cluster, options: WebhookSecretsOptions) {
    this.#redis = redis;
    this.#prefix = options.prefix;
    this.#graceMs = options.rotationGraceMs ?? 86_400_000;
    this.#maxSecrets = options.maxSecrets ?? 5;
    this.#now = options.now ?? (() => new Date());
    // Idempotent: several stores may share one client.
    redis.defineCommand("llmrWebhookSecrets", { numberOfKeys: 1, lua: SECRETS_SCRIPT });
  }

  /** The Redis key of a tenant's secrets. */
  key(tenant: string): string {
    return `${this.#prefix}:whsec:{${tenant}}`;
  }

  /** The active secrets, newest (the current one) first; creates the first one when there is none. */
  async list(tenant: string): Promise<WebhookSecretInfo[]> {
    return this.#run(tenant, "ensure");
  }

  /** The current secret (the one that will outlive a rotation's overlap). */
  async current(tenant: string): Promise<string> {
    const [newest] = await this.list(tenant);
    if (!newest) throw new Error("webhook secrets: no current secret after ensure");
    return newest.secret;
  }

  /** Every secret that signs a delivery sent now: the current one plus those still in their grace period. */
  async signingSecrets(tenant: string): Promise<string[]> {
    return (await this.list(tenant)).map((info) => info.secret);
  }

  /**
   * Adds a new current secret; the previous ones keep signing until their `expires_at`
   * (now + the grace period for the one that was current). Returns the active secrets, newest first.
   */
  async rotate(tenant: string): Promise<WebhookSecretInfo[]> {
    return this.#run(tenant, "rotate");
  }

  async #run(tenant: string, mode: "ensure" | "rotate"): Promise<WebhookSecretInfo[]> {
    const nowMs = this.#now().getTime();
    const field = `${nowMs}-${randomBytes(6).toString("hex")}`;
    const flat = await this.#redis.llmrWebhookSecrets(
      this.key(tenant),
      mode,
      String(nowMs),
      field,
      `${nowMs}|0|${newWebhookSecret()}`,
      String(this.#graceMs),
      String(this.#maxSecrets),
    );
    const secrets: { info: WebhookSecretInfo; createdMs: number }[] = [];
    for (let i = 1; i < flat.length; i += 2) {
      const parsed = parseValue(flat[i] ?? "");
      if (parsed) secrets.push(parsed);
    }
    // The current secret first (it may share its millisecond with the one it replaced), then newest first.
    const rank = (info: WebhookSecretInfo) => (info.expires_at === null ? 0 : 1);
    return secrets
      .sort((a, b) => rank(a.info) - rank(b.info) || b.createdMs - a.createdMs)
      .map(({ info }) => info);
  }
}

function parseValue(value: string): { info: WebhookSecretInfo; createdMs: number } | undefined {
  const match = /^(\d+)\|(\d+)\|(.+)$/.exec(value);
  if (!match) return undefined;
  const createdMs = Number(match[1]);
  const expiresMs = Number(match[2]);
  return {
    createdMs,
    info: {
      secret: match[3] ?? "",
      created_at: new Date(createdMs).toISOString(),
      expires_at: expiresMs === 0 ? null : new Date(expiresMs).toISOString(),
    },
  };
}
