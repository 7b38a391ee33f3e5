export type { HashedCredential } from "./key-ring.ts";
export { credentialsFromEnv, KeyRing, sha256Hex } from "./key-ring.ts";
export type { TokenScheme } from "./presented-token.ts";
export { presentedToken } from "./presented-token.ts";
