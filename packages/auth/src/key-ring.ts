import { createHash } from "node:crypto";

/** A named credential as the config keeps it: the SHA-256 of its secret, never the secret. */
export interface HashedCredential {
  name: string;
  sha256: string;
}

export function sha256Hex(secret: string): string {
  return createHash("sha256").update(secret, "utf8").digest("hex");
}

/**
 * Parses `name:secret,name2:secret2` (a bare `secret` gets `defaultName`) into hashed credentials.
 * The plaintext is dropped here; only hashes are kept in memory.
 */
export function credentialsFromEnv(value: string | undefined, defaultName: string): HashedCredential[] {
  if (!value) return [];
  return value
    .split(",")
    .map((entry) => entry.trim())
    .filter((entry) => entry.length > 0)
    .map((entry) => {
      const colon = entry.indexOf(":");
      const name = colon > 0 ? entry.slice(0, colon) : defaultName;
      const secret = colon > 0 ? entry.slice(colon + 1) : entry;
      return { name, sha256: sha256Hex(secret) };
    });
}

/**
 * Looks up who a presented secret belongs to, by its SHA-256. Comparing digests in a map does not
 * leak the secret through timing: an attacker can only learn about hashes of guesses.
 *
 * @example
 * ```ts
 * const operators = new KeyRing(credentialsFromEnv(process.env.LLMR_OPERATOR_TOKEN, "operator"));
 * operators.identify(presentedToken(req.headers.authorization)?.secret ?? ""); // "operator" or undefined
 * ```
 */
export class KeyRing {
  readonly #byHash = new Map<string, string>();

  constructor(credentials: readonly HashedCredential[]) {
    for (const credential of credentials) this.#byHash.set(credential.sha256, credential.name);
  }

  get size(): number {
    return this.#byHash.size;
  }

  /** The credential's name, or undefined for an unknown secret. */
  identify(secret: string): string | undefined {
    return this.#byHash.get(sha256Hex(secret));
  }

  /**
   * The name of the credential whose secret hashes to `sha256`, or undefined when it is not (or no
   * longer) configured: a session remembers the hash, so rotating the token ends the session.
   */
  identifyHash(sha256: string): string | undefined {
    return this.#byHash.get(sha256);
  }
}
