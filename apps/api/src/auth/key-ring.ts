/**
 * The key ring (hashed credentials and their names) lives in `@llmr/auth`, shared with the worker,
 * whose `/metrics` port takes the same operator credential. Re-exported for the API's modules.
 */
export { credentialsFromEnv, KeyRing, sha256Hex } from "@llmr/auth";
