import { z } from "zod";

const list = z
  .string()
  .optional()
  .transform((value) =>
    value
      ? value
          .split(",")
          .map((item) => item.trim())
          .filter(Boolean)
      : undefined,
  );

/** Everything the worker process reads from its environment. */
export const Env = z.object({
  /** Redis holding queues and job records. */
  REDIS_URL: z.string().default("redis://127.0.0.1:6379"),
  /** Router config file; the bundled default when unset. */
  ROUTER_CONFIG: z.string().optional(),
  /** Run only these tiers (comma-separated); all when unset. Lets a deployment scale tiers apart. */
  WORKER_TIERS: list,
  /** Run only these classes (`interactive`, `batch`); both when unset. */
  WORKER_CLASSES: list.pipe(z.array(z.enum(["interactive", "batch"])).optional()),
  /** Job lock duration: a crashed worker's jobs are taken up by another after about this long. */
  WORKER_LOCK_DURATION_MS: z.coerce.number().int().min(1_000).default(30_000),
  /** On SIGTERM, how long calls in flight may finish before they are aborted and their jobs re-queued. */
  WORKER_SHUTDOWN_GRACE_MS: z.coerce.number().int().min(0).default(30_000),
  /** Crash (SIGKILL itself) at a named point, for crash tests only. Never set in production. */
  LLMR_FAILPOINT: z.enum(["after-escalation-recorded"]).optional(),
  /** pino level. */
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
});
export type Env = z.infer<typeof Env>;
