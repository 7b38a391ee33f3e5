import { ClusterNodesSchema } from "@llmr/core";
import { TracingEnv } from "@llmr/tracing";
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
  /** Redis holding queues and job records (one server; see `REDIS_CLUSTER_NODES` for a cluster). */
  REDIS_URL: z.string().default("redis://127.0.0.1:6379"),
  /**
   * Redis Cluster instead of one server: comma-separated seed nodes, each `host:port` or a
   * `redis://` / `rediss://` URL (`rediss://:token@clustercfg.example.cache.amazonaws.com:6379`
   * for ElastiCache/MemoryDB with TLS and AUTH). The other nodes are discovered from the seeds.
   * Credentials and TLS on a seed apply to every node. When set, `REDIS_URL` is not used.
   */
  REDIS_CLUSTER_NODES: ClusterNodesSchema,
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
  /**
   * Port of this worker's HTTP server: `GET /healthz` (liveness) and `GET /readyz` (readiness), open
   * like the API's, and `GET /metrics` (Prometheus, operator credential as Bearer token). Nothing
   * listens when unset, which stays the default: several workers often share a host (`WORKER_TIERS`
   * splits them, `npm start` and tests run several), and a fixed default port would make every
   * worker after the first fail to start. Deployments that probe or scrape set it (9464 in
   * infra/k8s and docker-compose). `0` picks a free port (logged).
   */
  WORKER_METRICS_PORT: z.coerce.number().int().min(0).max(65_535).optional(),
  /** Interface of that port; `0.0.0.0` in containers so the kubelet and Prometheus can reach it. */
  WORKER_METRICS_HOST: z.string().default("127.0.0.1"),
  /** Operator credential for `/metrics` (`name:token` or a bare token), the same one the API takes. */
  LLMR_OPERATOR_TOKEN: z.string().optional(),
  /** Crash (SIGKILL itself) at a named point, for crash tests only. Never set in production. */
  LLMR_FAILPOINT: z
    .enum(["after-escalation-recorded", "after-finish-recorded", "after-parts-queued"])
    .optional(),
  /** pino level. */
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  /**
   * OpenTelemetry tracing, off (no SDK loaded) unless `OTEL_EXPORTER_OTLP_ENDPOINT` (OTLP/HTTP,
   * e.g. `http://otel-collector:4318`) or `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT` is set. Then:
   * `OTEL_SERVICE_NAME` (default `llmr-worker`), `OTEL_TRACES_SAMPLER` / `OTEL_TRACES_SAMPLER_ARG`
   * (default `parentbased_always_on`: a job traced by the API is traced here too),
   * `OTEL_BSP_SCHEDULE_DELAY` (ms between batches, default 5000), `OTEL_SDK_DISABLED=true`; the
   * exporter also reads `OTEL_EXPORTER_OTLP_HEADERS` and `OTEL_EXPORTER_OTLP_TIMEOUT`.
   */
  ...TracingEnv.shape,
});
export type Env = z.infer<typeof Env>;
