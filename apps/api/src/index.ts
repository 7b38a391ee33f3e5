export type { AppDeps } from "./app.ts";
export { createApp } from "./app.ts";
export { credentialsFromEnv, KeyRing, sha256Hex } from "./auth/key-ring.ts";
export { createLogger, REDACT_PATHS } from "./logger.ts";
