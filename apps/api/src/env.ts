import { ClusterNodesSchema } from "@llmr/core";
import { TracingEnv } from "@llmr/tracing";
import { z } from "zod";

/** Everything the API process reads from its environment. */
export const Env = z.object({
  /** TCP port of the HTTP API. */
  PORT: z.coerce.number().int().min(0).max(65_535).default(8080),
  /** Interface to listen on; `0.0.0.0` in containers. */
  HOST: z.string().default("127.0.0.1"),
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
  /** API keys as `name:key,name2:key2`; hashed at start, the plaintext is not kept. */
  LLMR_API_KEYS: z.string().optional(),
  /** Operator credential for /admin/queues and /metrics (`name:token` or a bare token, named `operator`). */
  LLMR_OPERATOR_TOKEN: z.string().optional(),
  /** pino level. */
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  /**
   * OpenTelemetry tracing, off (no SDK loaded) unless `OTEL_EXPORTER_OTLP_ENDPOINT` (OTLP/HTTP,
   * e.g. `http://otel-collector:4318`) or `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT` is set. Then:
   * `OTEL_SERVICE_NAME` (default `llmr-api`), `OTEL_TRACES_SAMPLER` / `OTEL_TRACES_SAMPLER_ARG`
   * (default `parentbased_always_on`; `parentbased_traceidratio` + `0.1` keeps one trace in ten),
   * `OTEL_BSP_SCHEDULE_DELAY` (ms between batches, default 5000), `OTEL_SDK_DISABLED=true`; the
   * exporter also reads `OTEL_EXPORTER_OTLP_HEADERS` and `OTEL_EXPORTER_OTLP_TIMEOUT`.
   */
  ...TracingEnv.shape,
});
export type Env = z.infer<typeof Env>;
