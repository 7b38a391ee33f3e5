import { pino } from "pino";

/**
 * Secrets never reach the logs: auth headers, API keys and provider keys are censored wherever
 * they appear in a logged object.
 */
export const REDACT_PATHS = [
  "req.headers.authorization",
  "req.headers.cookie",
  'req.headers["x-api-key"]',
  'res.headers["set-cookie"]',
  "*.apiKey",
  "*.api_key",
  "*.authorization",
];

export function createLogger(level: string, name: string) {
  return pino({ name, level, redact: { paths: REDACT_PATHS, censor: "[redacted]" } });
}
export type Logger = ReturnType<typeof createLogger>;
