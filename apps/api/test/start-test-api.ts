import { readFileSync } from "node:fs";
import type { AddressInfo } from "node:net";
import { Writable } from "node:stream";
import type { RouterConfig } from "@llmr/config";
import { DEFAULT_CONFIG_PATH, validateConfig } from "@llmr/config";
import { createRedis, waitForRedis } from "@llmr/core";
import { pino } from "pino";
import { parse } from "yaml";
import { createApiServices } from "../src/api-services.ts";
import { createApp } from "../src/app.ts";
import { KeyRing, sha256Hex } from "../src/auth/key-ring.ts";
import { REDACT_PATHS } from "../src/logger.ts";

export const KEY_A = "llmr_test_key_a_0123456789abcdef";
export const KEY_B = "llmr_test_key_b_0123456789abcdef";
export const OPERATOR = "llmr_test_operator_secret";

/** The real express app on a real port, over a real Redis, with its log lines captured. */
export async function startTestApi(options: {
  redisUrl: string;
  keyPrefix: string;
  bodyLimitBytes?: number;
  simulatorUrl?: string;
  rateLimit?: { requests_per_minute: number; burst: number };
  /** The `admin` config section (dashboard sessions, read-only queues). */
  admin?: Record<string, unknown>;
  /** The operator tokens this API accepts. @defaultValue [OPERATOR] */
  operatorTokens?: readonly string[];
  /** The `webhooks` config section (e.g. private targets for a local receiver). */
  webhooks?: Record<string, unknown>;
  /** The `batches` config section (a daily window). */
  batches?: Record<string, unknown>;
  /** Changes to the default config's document before it is validated (e.g. a task's map_reduce). */
  edit?: (doc: Record<string, unknown>) => void;
}) {
  const doc = parse(readFileSync(DEFAULT_CONFIG_PATH, "utf8")) as Record<string, unknown>;
  doc.redis = { key_prefix: options.keyPrefix };
  doc.api = {
    ...(options.bodyLimitBytes ? { body_limit_bytes: options.bodyLimitBytes } : {}),
    // Tests other than the rate-limit ones must not trip over the per-key limit.
    rate_limit: options.rateLimit ?? { requests_per_minute: 600_000, burst: 100_000 },
  };
  if (options.admin) doc.admin = options.admin;
  if (options.webhooks) doc.webhooks = options.webhooks;
  if (options.batches) doc.batches = options.batches;
  options.edit?.(doc);
  const env = options.simulatorUrl ? { SIMULATOR_URL: options.simulatorUrl } : {};
  const config: RouterConfig = validateConfig(doc, "test", { env, requireProviderKeys: false });

  const logLines: string[] = [];
  const sink = new Writable({
    write(chunk, _encoding, done) {
      logLines.push(String(chunk));
      done();
    },
  });
  const logger = pino({ level: "debug", redact: { paths: REDACT_PATHS, censor: "[redacted]" } }, sink);
  const redis = createRedis(options.redisUrl, "api");
  redis.on("error", () => undefined); // the app reports Redis trouble per request (503) and in /readyz
  await waitForRedis(redis, 2_000);
  const services = createApiServices(redis, config, () => undefined);
  const app = createApp({
    config,
    redis,
    ...services,
    logger,
    apiKeys: new KeyRing([
      { name: "tenant-a", sha256: sha256Hex(KEY_A) },
      { name: "tenant-b", sha256: sha256Hex(KEY_B) },
    ]),
    operators: new KeyRing(
      (options.operatorTokens ?? [OPERATOR]).map((token) => ({ name: "operator", sha256: sha256Hex(token) })),
    ),
  });
  const server = app.listen(0, "127.0.0.1");
  await new Promise<void>((resolve) => server.once("listening", () => resolve()));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    config,
    store: services.store,
    batches: services.batches,
    deliveries: services.deliveries,
    queues: services.queues,
    events: services.events,
    logLines,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await services.close();
      redis.disconnect();
    },
  };
}

export function auth(key: string, extra: Record<string, string> = {}): Record<string, string> {
  return { authorization: `Bearer ${key}`, ...extra };
}

export const json = { "content-type": "application/json" };
