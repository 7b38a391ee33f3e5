import type { RouterConfig } from "@llmr/config";
import type {
  BatchCancelSweeps,
  BatchStore,
  DispatchGates,
  JobEventHub,
  JobEvents,
  JobStore,
  RedisClient,
  TierQueues,
} from "@llmr/core";
import {
  clusterStateFrom,
  countCancelledJob,
  countSubmittedJob,
  createApiRegistry,
  registerClusterGauges,
} from "@llmr/metrics";
import type { WebhookDeliveries, WebhookSecrets } from "@llmr/webhooks";
import express from "express";
import { BULL_BOARD_PATH, bullBoardRouter } from "./admin/bull-board.ts";
import { LOGOUT_PATH } from "./admin/login-page.ts";
import { loginRouter } from "./admin/login-routes.ts";
import { loginThrottle } from "./admin/login-throttle.ts";
import { requireDashboardOperator } from "./admin/require-dashboard-operator.ts";
import type { KeyRing } from "./auth/key-ring.ts";
import { OperatorSessions } from "./auth/operator-sessions.ts";
import { requireApiKey } from "./auth/require-api-key.ts";
import { requireOperator } from "./auth/require-operator.ts";
import { errorHandler } from "./http/error-handler.ts";
import { HttpError } from "./http/http-error.ts";
import { jsonBody } from "./http/json-body.ts";
import { keyRateLimit } from "./http/rate-limit.ts";
import { requestLogger } from "./http/request-logger.ts";
import { traceRequests } from "./http/trace-requests.ts";
import type { Logger } from "./logger.ts";
import { httpMetrics } from "./metrics/http-metrics.ts";
import { metricsRouter } from "./metrics/metrics-route.ts";
import { openApiDocument } from "./openapi/openapi-document.ts";
import { REFERENCE_PAGE } from "./openapi/reference-page.ts";
import { adminDeploymentsRouter } from "./routes/admin-deployments.ts";
import { adminJobExplainRouter } from "./routes/admin-job-explain.ts";
import { batchesRouter } from "./routes/batches.ts";
import { healthRouter } from "./routes/health.ts";
import { jobsRouter } from "./routes/jobs.ts";
import { webhooksRouter } from "./routes/webhooks.ts";

export interface AppDeps {
  config: RouterConfig;
  redis: RedisClient;
  store: JobStore;
  batches: BatchStore;
  queues: TierQueues;
  events: JobEvents;
  hub: JobEventHub;
  secrets: WebhookSecrets;
  gates: DispatchGates;
  deliveries: WebhookDeliveries;
  cancelSweeps: BatchCancelSweeps;
  apiKeys: KeyRing;
  operators: KeyRing;
  logger: Logger;
  /** Trace every request (a server span, active while it is handled); off unless tracing is on. */
  tracing?: boolean;
}

/** The express app: routes, auth, body limits, bull-board and the one error middleware. */
export function createApp(deps: AppDeps): express.Express {
  const app = express();
  app.disable("x-powered-by");
  app.set("trust proxy", false);
  // First, so every later middleware and handler (and their log lines) runs inside the request's span.
  if (deps.tracing) app.use(traceRequests());
  // This process's metrics, plus queue depth and breakers read from Redis when Prometheus scrapes.
  const { registry, metrics } = createApiRegistry();
  registerClusterGauges(registry, clusterStateFrom(deps.config, deps.queues, deps.gates));
  app.use(httpMetrics(metrics.httpDuration));

  // Handlers' log lines carry just `reqId`; the full request is logged once, on completion.
  app.use(
    requestLogger(deps.logger, {
      quiet: (req) => req.url === "/healthz" || req.url === "/readyz" || req.url === "/metrics",
    }),
  );

  app.use(healthRouter(deps.redis));
  const openApi = openApiDocument();
  app.get("/openapi.json", (_req, res) => {
    res.json(openApi);
  });
  app.get("/docs", (_req, res) => {
    res.type("html").send(REFERENCE_PAGE);
  });
  app.use(metricsRouter(registry, deps.operators));
  // The operator's dashboard: a login page for people (session cookie, CSRF-checked), the
  // operator token in Authorization for scripts.
  const sessions = new OperatorSessions(deps.redis, {
    keyPrefix: deps.config.redis.keyPrefix,
    ttlSeconds: deps.config.admin.sessionTtlSeconds,
  });
  app.use(
    loginRouter({
      operators: deps.operators,
      sessions,
      throttle: loginThrottle(deps.redis, deps.config.redis.keyPrefix),
    }),
  );
  app.use(
    BULL_BOARD_PATH,
    requireDashboardOperator(deps.operators, sessions),
    bullBoardRouter(deps.queues, [deps.deliveries.queue], {
      readOnlyQueues: deps.config.admin.bullBoard.readOnlyQueues,
      logoutPath: LOGOUT_PATH,
    }),
  );

  // Operator routes under /v1/admin take the operator credential, not an API key.
  app.use("/v1/admin", requireOperator(deps.operators));
  app.use(adminDeploymentsRouter(deps.config, deps.gates));
  app.use(adminJobExplainRouter(deps));
  app.use("/v1", requireApiKey(deps.apiKeys));
  app.use("/v1", keyRateLimit(deps.redis, deps.config.redis.keyPrefix, deps.config.api.rateLimit));
  app.use(jsonBody(deps.config.api.bodyLimitBytes));
  app.use(
    jobsRouter({
      ...deps,
      onSubmitted: (record) => countSubmittedJob(metrics, record.job),
      onCancelled: (record) => countCancelledJob(metrics, record.job),
    }),
  );
  app.use(webhooksRouter(deps));
  app.use(
    batchesRouter({
      ...deps,
      onEnqueueDeferred: (batchId, error) =>
        deps.logger.warn(
          { err: error, batch_id: batchId },
          "batch accepted; the recovery queues its remaining items",
        ),
    }),
  );

  app.use((req, _res, next) => {
    next(new HttpError(404, "not_found_error", `no route ${req.method} ${req.path}`));
  });
  app.use(errorHandler());
  return app;
}
