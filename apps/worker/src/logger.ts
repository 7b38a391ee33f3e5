import { pino } from "pino";

/** Provider keys and auth headers are censored wherever they appear in a logged object. */
export function createLogger(level: string, name: string) {
  return pino({
    name,
    level,
    redact: {
      paths: ["*.apiKey", "*.api_key", "*.authorization", "*.headers.authorization"],
      censor: "[redacted]",
    },
  });
}
export type Logger = ReturnType<typeof createLogger>;
