import type { Server } from "node:http";
import { ConfigError, describeConfig, loadConfig } from "@llmr/config";
import { assertNoEviction, createRedis, UnsafeRedisError, waitForRedis } from "@llmr/core";
import { startTracing } from "@llmr/tracing";
import { createApiServices } from "./api-services.ts";
import { createApp } from "./app.ts";
import { credentialsFromEnv, KeyRing } from "./auth/key-ring.ts";
import { Env } from "./env.ts";
import { createLogger } from "./logger.ts";

const SHUTDOWN_GRACE_MS = 10_000;

const env = Env.parse(process.env);
// Before anything else, so every request is traced; without an OTLP endpoint this loads nothing.
const tracing = await startTracing({ serviceName: "llmr-api", env });
const logger = createLogger(env.LOG_LEVEL, "api", { traceFields: tracing.enabled });
if (tracing.enabled) logger.info(`tracing: spans go to ${tracing.endpoint}`);

let config: ReturnType<typeof loadConfig>;
try {
  // The API never calls a provider, so it does not need their keys.
  config = loadConfig(env.ROUTER_CONFIG, { requireProviderKeys: false });
} catch (error) {
  if (error instanceof ConfigError) {
    process.stderr.write(`${error.message}\n`);
    process.exit(78); // EX_CONFIG
  }
  throw error;
}
for (const line of describeConfig(config)) logger.info(line);

const apiKeys = new KeyRing([...config.auth.apiKeys, ...credentialsFromEnv(env.LLMR_API_KEYS, "default")]);
const operators = new KeyRing([
  ...config.auth.operatorTokens,
  ...credentialsFromEnv(env.LLMR_OPERATOR_TOKEN, "operator"),
]);
if (apiKeys.size === 0)
  logger.warn("no API keys configured (LLMR_API_KEYS or auth.api_keys): every /v1 call gets 401");
if (operators.size === 0)
  logger.warn("no operator credential (LLMR_OPERATOR_TOKEN): /admin/queues is closed");

const redis = createRedis(env.REDIS_CLUSTER_NODES ?? env.REDIS_URL, "api");
redis.on("error", (error) => logger.warn({ err: error }, "redis connection error"));
await waitForRedis(redis, 5_000);
try {
  await assertNoEviction(redis);
} catch (error) {
  // Refuse to run on an evicting Redis; a Redis that is merely down is reported by /readyz.
  if (error instanceof UnsafeRedisError) {
    process.stderr.write(`${error.message}\n`);
    process.exit(1);
  }
}

const services = createApiServices(
  redis,
  config,
  (error, source) =>
    // The Redis client logs the outage itself; these repeat it per queue and subscriber.
    logger.debug({ err: error, source }, "redis connection error"),
  ({ batchId, action }) =>
    logger.warn({ batch_id: batchId, action }, "recovered a batch left by a dead process"),
);
const app = createApp({ config, redis, ...services, apiKeys, operators, logger, tracing: tracing.enabled });

const server: Server = app.listen(env.PORT, env.HOST, () => {
  logger.info({ port: env.PORT, host: env.HOST }, `API listening on http://${env.HOST}:${env.PORT}`);
});

// Errors Node answers before express sees the request (headers over 16 KB, a garbled request
// line) still get the contract's JSON envelope.
server.on("clientError", (error: NodeJS.ErrnoException, socket) => {
  if (!socket.writable) return;
  const tooLarge = error.code === "HPE_HEADER_OVERFLOW";
  const status = tooLarge ? "431 Request Header Fields Too Large" : "400 Bad Request";
  const message = tooLarge ? "request headers are too large (16 KB at most)" : "malformed HTTP request";
  const body = JSON.stringify({ error: { type: "invalid_request_error", message } });
  socket.end(
    `HTTP/1.1 ${status}\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`,
  );
});

let stopping = false;
async function shutdown(signal: string): Promise<void> {
  if (stopping) return;
  stopping = true;
  logger.info(`${signal}: closing the API`);
  const force = setTimeout(() => process.exit(1), SHUTDOWN_GRACE_MS).unref();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  await services.close();
  redis.disconnect();
  // The last spans (this shutdown's requests) are sent before the exit.
  await tracing.shutdown().catch(() => undefined);
  clearTimeout(force);
  process.exit(0);
}
process.on("SIGINT", () => void shutdown("SIGINT"));
process.on("SIGTERM", () => void shutdown("SIGTERM"));
